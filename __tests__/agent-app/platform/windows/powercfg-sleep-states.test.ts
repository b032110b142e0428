import {
  ENABLE_S4_FIX,
  assessSleepStates,
  createPowercfgReadinessProbe,
  hibernateAvailability,
  hibernateFix,
  parseSleepStates,
} from '../../../../agent-app/platform/windows/powercfg-sleep-states';
import { agentFixture, crlf } from '../../../helpers/agent-fixtures';
import { runResult } from '../../../helpers/run-result';

const both = (name: string) => [agentFixture('powercfg-a', name), crlf(agentFixture('powercfg-a', name))];

describe('powercfg /a parser (captured outputs)', () => {
  it.each(both('hibernate-not-enabled-compact.txt'))(
    'reads the two sections without blank lines between the states',
    (text) => {
      const states = parseSleepStates(text);
      expect(states.available).toEqual([{ name: 'Standby (S3)', reasons: [] }]);
      expect(states.unavailable.map((s) => s.name)).toEqual([
        'Standby (S1)',
        'Standby (S2)',
        'Hibernate',
        'Standby (S0 Low Power Idle)',
        'Hybrid Sleep',
        'Fast Startup',
      ]);
      expect(states.unavailable[4].reasons).toEqual([
        'Hibernation is not available.',
        'The hypervisor does not support this standby state.',
      ]);
      expect(assessSleepStates(states)).toEqual({
        name: 'hibernate',
        verdict: 'problem',
        evidence:
          'powercfg /a does not list Hibernate as available ("Hibernate": Hibernation has not been enabled.)',
        fix: expect.stringMatching(
          /^powercfg \/hibernate on \(as administrator\); if powercfg \/a then says the firmware/,
        ),
      });
    },
  );

  it.each(both('hibernate-available-fast-startup-policy.txt'))(
    'skips the echoed PowerShell prompt and finds Hibernate available',
    (text) => {
      const states = parseSleepStates(text);
      expect(states.available.map((s) => s.name)).toEqual([
        'Standby (S0 Low Power Idle) Network Connected',
        'Hibernate',
      ]);
      expect(states.unavailable.at(-1)).toEqual({
        name: 'Fast Startup',
        reasons: ['This action is disabled in the current system policy.'],
      });
      expect(assessSleepStates(states)).toMatchObject({ verdict: 'ok', fix: null });
    },
  );

  it.each(both('zh-cn-hibernate-available.txt'))('goes by structure in Chinese', (text) => {
    const states = parseSleepStates(text);
    expect(states.available.map((s) => s.name)).toEqual([
      '待机 (S0 低电量待机) 网络已断开连接',
      '休眠',
      '快速启动',
    ]);
    expect(states.unavailable.map((s) => s.name)).toEqual([
      '待机 (S1)',
      '待机 (S2)',
      '待机 (S3)',
      '混合睡眠',
      '待机(S0 低电量待机) 连接的网络',
    ]);
    expect(assessSleepStates(states)).toMatchObject({
      verdict: 'ok',
      evidence: 'powercfg /a lists "休眠" as available',
    });
  });
});

describe('which entry is Hibernate when no known name matches', () => {
  const named = (available: string[], unavailable: string[] = []) => ({
    available: available.map((name) => ({ name, reasons: [] })),
    unavailable: unavailable.map((name) => ({ name, reasons: ['Motivo.'] })),
  });

  it('two available non-standby states: one of them is Hibernate', () => {
    expect(hibernateAvailability(named(['Sospensione (S3)', 'Ibernazione', 'Avvio rapido']))).toEqual({
      available: true,
      name: 'Ibernazione',
    });
  });

  it('one: it may be Fast Startup alone (a reduced hiberfile), so it cannot tell', () => {
    const states = named(['Sospensione (S3)', 'Avvio rapido'], ['Ibernazione', 'Sospensione ibrida']);
    expect(hibernateAvailability(states)).toEqual({ available: null, name: 'Avvio rapido' });
    expect(assessSleepStates(states).verdict).toBe('warning');
  });

  it('none: the first unavailable non-standby state is Hibernate, with its reasons', () => {
    expect(hibernateAvailability(named(['Sospensione (S3)'], ['Sospensione (S1)', 'Ibernazione']))).toEqual({
      available: false,
      name: 'Ibernazione',
      reasons: ['Motivo.'],
    });
  });
});

describe('the fix follows the reason', () => {
  it('firmware without S4 (the message kubevirt/kubevirt#15004 quotes): enable-s4 on the host', () => {
    expect(hibernateFix(['The system firmware does not support hibernation.'])).toBe(ENABLE_S4_FIX);
  });
  it('a reduced hiberfile: the full type', () => {
    expect(hibernateFix(['The hiberfile type does not support hibernation.'])).toBe(
      'powercfg /hibernate /type full (as administrator)',
    );
  });
});

describe('the probe', () => {
  const result = (stdout: string, exitCode = 0) =>
    runResult({ command: 'powercfg.exe', args: ['/a'], stdout, exitCode });

  it('runs powercfg /a and assesses it', async () => {
    const calls: string[][] = [];
    const probe = createPowercfgReadinessProbe({
      findOnPath: async (c) => (c === 'powercfg.exe' ? 'C:\\Windows\\System32\\powercfg.exe' : null),
      run: async (command, args) => {
        calls.push([command, ...args]);
        return result(crlf(agentFixture('powercfg-a', 'hibernate-not-enabled-compact.txt')));
      },
    });
    const [check] = await probe.inspect(new AbortController().signal);
    expect(check.verdict).toBe('problem');
    expect(calls).toEqual([['C:\\Windows\\System32\\powercfg.exe', '/a']]);
  });

  it('throws when powercfg is missing or fails', async () => {
    const missing = createPowercfgReadinessProbe({
      findOnPath: async () => null,
      run: async () => result(''),
    });
    await expect(missing.inspect(new AbortController().signal)).rejects.toThrow(
      'powercfg.exe is not available',
    );
    const failing = createPowercfgReadinessProbe({
      findOnPath: async () => 'powercfg.exe',
      run: async () => result('Access denied', 1),
    });
    await expect(failing.inspect(new AbortController().signal)).rejects.toThrow(
      'powercfg.exe /a exited 1: Access denied',
    );
  });
});
