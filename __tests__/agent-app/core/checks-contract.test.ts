/**
 * The shared contract every check satisfies: it uses its own name, a probe failure becomes `unknown`
 * through the runner, a missing probe becomes `unavailable` (never active), and its results pass the
 * protocol's CheckResult schema.
 */
import type { AgentCheck as Check } from '../../../agent-app/core/agent-check';
import * as cpu from '../../../agent-app/core/checks/cpu';
import * as custom from '../../../agent-app/core/checks/custom-command';
import * as gpu from '../../../agent-app/core/checks/gpu';
import * as input from '../../../agent-app/core/checks/input-idle';
import * as network from '../../../agent-app/core/checks/network';
import * as power from '../../../agent-app/core/checks/power-requests';
import * as processes from '../../../agent-app/core/checks/processes';
import * as sessions from '../../../agent-app/core/checks/sessions';
import { createCheckRunner } from '../../../common/check';
import { SimulatedClock, systemClock } from '../../../common/clock';
import { ConfigError, UnavailableError } from '../../../common/errors';
import { CheckResultSchema } from '../../../protocol';
import { runResult } from '../../helpers/run-result';

type Mode = 'ok' | 'throw' | 'missing';
const fail = (mode: Mode) => {
  if (mode === 'throw') throw new Error('probe failed');
  throw new UnavailableError('not installed', 'tool');
};

const clock = new SimulatedClock();
let mode: Mode = 'ok';
const guard = <T>(value: T): T => (mode === 'ok' ? value : fail(mode));

const cases: [string, () => Check][] = [
  [
    'input',
    () =>
      input.create(
        { activeWithinSeconds: 60 },
        { probe: { read: async () => guard({ idleSeconds: 5, source: 'x11' }) } },
      ),
  ],
  [
    'gpu',
    () =>
      gpu.create(
        { thresholdPercent: 10 },
        { probe: { read: async () => guard({ percent: 50, gpus: 1, source: 'nvidia-smi' }) } },
      ),
  ],
  [
    'power_requests',
    () =>
      power.create(
        { ignore: [] },
        {
          probe: {
            read: async () => guard({ requests: [{ who: 'a', why: 'b', kind: 'sleep' }], source: 'logind' }),
          },
        },
      ),
  ],
  [
    'processes',
    () =>
      processes.create(
        { names: ['steam'] },
        { probe: { list: async () => guard(['Steam.exe']) }, stripExe: true },
      ),
  ],
  [
    'cpu',
    () =>
      cpu.create(
        { thresholdPercent: 15, loadThreshold: null },
        {
          clock: systemClock,
          warmupMs: 0,
          probe: {
            times: async () => guard({ busy: Math.random() * 1000, total: 1000 + Math.random() }),
            loadAverage: async () => 0.5,
          },
        },
      ),
  ],
  [
    'network',
    () =>
      network.create(
        { thresholdKbps: 100, interfaces: [], excludeInterfaces: ['lo'] },
        {
          clock: systemClock,
          warmupMs: 0,
          probe: {
            counters: async () => guard(new Map([['eth0', { rxBytes: Math.random() * 1e6, txBytes: 0 }]])),
          },
        },
      ),
  ],
  [
    'sessions',
    () =>
      sessions.create(
        { kinds: ['ssh'] },
        {
          probe: {
            list: async () =>
              guard([{ kind: 'ssh' as const, user: 'root', line: 'pts/0', host: '10.0.0.2' }]),
          },
        },
      ),
  ],
  [
    'custom:probe',
    () =>
      custom.create(
        { name: 'probe', command: ['true'], timeoutSeconds: 1 },
        {
          run: async (command, args) => guard(runResult({ command, args })),
        },
      ),
  ],
];

describe.each(cases)('check contract: %s', (name, make) => {
  const runner = createCheckRunner({ clock, timeoutMs: 1000 });

  it('reports under its own name and its results pass the protocol schema', async () => {
    mode = 'ok';
    const check = make();
    expect(check.name).toBe(name);
    const [report] = await runner.run([check], { now: clock.now() });
    expect(report.name).toBe(name);
    expect(['active', 'idle', 'unknown']).toContain(report.state);
    CheckResultSchema.parse({ name: report.name, state: report.state, detail: report.detail });
  });

  it('turns a failing probe into unknown', async () => {
    mode = 'throw';
    const [report] = await runner.run([make()], { now: clock.now() });
    expect(report.state).toBe('unknown');
    expect(report.detail).toBe('probe failed');
  });

  it('is left out, never active, when its probe does not exist', async () => {
    mode = 'missing';
    const [report] = await runner.run([make()], { now: clock.now() });
    expect(report.state).toBe('unavailable');
  });
});

describe('check factories validate their configuration', () => {
  it('names the field', () => {
    expect(() =>
      processes.create({ names: [' '] }, { probe: { list: async () => [] }, stripExe: false }),
    ).toThrow(ConfigError);
    expect(() =>
      gpu.create(
        { thresholdPercent: 120 },
        { probe: { read: async () => ({ percent: 0, gpus: 1, source: 'x' }) } },
      ),
    ).toThrow(/thresholdPercent/);
    expect(() =>
      input.create(
        { activeWithinSeconds: 0 },
        { probe: { read: async () => ({ idleSeconds: 0, source: 'x' }) } },
      ),
    ).toThrow(/activeWithinSeconds/);
  });
});
