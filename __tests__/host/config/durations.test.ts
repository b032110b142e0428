/**
 * Idle thresholds in minutes as release 1.x wrote them, or with a unit (45s, 10m, 2h) for trials and the
 * lab: parsed into (possibly fractional) minutes, shown back in the form given, and used by the policy as
 * whole seconds.
 */
import { resolveConfig, type LoadedConfig } from '../../../host/config';
import { minutes } from '../../../host/config/value-types';
import { policyConfigFrom } from '../../../host/monitor/policy-input';

const resolve = (text: string) => resolveConfig(text, '/etc/proxmox-sleep.conf', {});
const messages = (l: LoadedConfig) => l.problems.filter((p) => p.severity === 'error').map((p) => p.message);

describe('idle thresholds with a unit', () => {
  it('reads whole minutes as before, and seconds, minutes or hours with a unit', () => {
    const type = minutes(0, 100000);
    expect(type.parse('15')).toEqual({ ok: true, value: 15 });
    expect(type.parse('45s')).toEqual({ ok: true, value: 0.75 });
    expect(type.parse('10m')).toEqual({ ok: true, value: 10 });
    expect(type.parse('2h')).toEqual({ ok: true, value: 120 });
    expect(type.parse('0s')).toEqual({ ok: true, value: 0 });
    expect([type.format(15), type.format(0.75), type.format(10 / 60)]).toEqual(['15', '45s', '10s']);
  });

  it('refuses what 1.x refused, a unit it does not know, and values out of range', () => {
    const type = minutes(1, 100000);
    expect(type.parse('08')).toMatchObject({ ok: false, message: expect.stringMatching(/leading zero/) });
    expect(type.parse('08s')).toMatchObject({ ok: false, message: expect.stringMatching(/leading zero/) });
    expect(type.parse('5d')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not a whole number/),
    });
    expect(type.parse('1.5m')).toMatchObject({ ok: false });
    expect(type.parse('0')).toEqual({ ok: false, message: 'must be at least 1s' });
    expect(type.parse('0s')).toEqual({ ok: false, message: 'must be at least 1s' });
    expect(type.parse('6000001s')).toEqual({ ok: false, message: 'must be at most 100000 minutes' });
  });

  it('gives the policy whole seconds for the host and for each guest', () => {
    const l = resolve(
      [
        'VM_IDS="100 101"',
        'IDLE_THRESHOLD_MINUTES=10s',
        'VM_100_IDLE_TIMEOUT=25s',
        'VM_101_IDLE_TIMEOUT=2',
      ].join('\n'),
    );
    expect(messages(l)).toEqual([]);
    expect(l.config.global.idleThresholdMinutes).toBe(10 / 60);
    const policy = policyConfigFrom(l.config);
    expect(Math.round(policy.idleThresholdMinutes * 60)).toBe(10);
    expect(policy.guests.map((g) => Math.round(g.idleTimeoutMinutes * 60))).toEqual([25, 120]);
  });

  it('names the key and the problem in a configuration file', () => {
    const l = resolve('VM_IDS=100\nVM_100_IDLE_TIMEOUT=0s');
    expect(l.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        line: 2,
        key: 'VM_100_IDLE_TIMEOUT',
        message: 'must be at least 1s; using 15 until it is fixed',
      }),
    ]);
  });
});
