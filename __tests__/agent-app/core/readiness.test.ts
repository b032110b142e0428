import type { PowerActions } from '../../../agent-app/core/commands';
import {
  check,
  doctorExitCode,
  doctorReport,
  hibernationBlocker,
  withHibernationCheck,
  type InspectOptions,
  type ReadinessProbe,
} from '../../../agent-app/core/readiness';
import { asciiJsonLine } from '../../../agent-app/cli/reply-line';
import { DoctorReportSchema, parseReply } from '../../../protocol';

const ok = check('kernel', 'ok', 'disk offered');
const warn = check('swap', 'warning', 'swap smaller than RAM', 'grow it');
const problem = check('resume', 'problem', 'no resume=', 'add resume=');

describe('verdicts', () => {
  it('exit 0 all ok, 1 a warning, 2 a problem', () => {
    expect(doctorExitCode([ok])).toBe(0);
    expect(doctorExitCode([ok, warn])).toBe(1);
    expect(doctorExitCode([warn, problem])).toBe(2);
  });

  it('only problems block hibernation; the reply names their evidence', () => {
    expect(hibernationBlocker([ok, warn])).toBeNull();
    expect(hibernationBlocker([ok, problem, check('kernel', 'problem', 'no disk')])).toBe(
      'no resume=; no disk (`proxmox-sleep-agent doctor` shows the fixes)',
    );
  });

  it('evidence from the guest becomes one protocol-safe line', () => {
    const c = check('x', 'problem', `line one\nline\u0007two ${'y'.repeat(600)}`, 'fix\u202e');
    expect(c.evidence).toMatch(/^line one line\?two y+$/);
    expect(c.evidence).toHaveLength(500);
    expect(c.fix).toBe('fix?');
    expect(DoctorReportSchema.parse(doctorReport('linux', [c]))).toEqual({
      os: 'linux',
      hibernation_ready: false,
      checks: [c],
    });
  });
});

describe('withHibernationCheck', () => {
  const performed: string[] = [];
  const base: PowerActions = {
    precheck: async () => null,
    perform: async (action) => void performed.push(action),
  };
  const probe = (checks = [ok, problem]): ReadinessProbe & { asked: InspectOptions[] } => {
    const p = {
      asked: [] as InspectOptions[],
      inspect: async (_signal: AbortSignal, options: InspectOptions = {}) => (p.asked.push(options), checks),
    };
    return p;
  };

  it('refuses hibernate on a problem, asks nothing for shutdown', async () => {
    const readiness = probe();
    const actions = withHibernationCheck(base, readiness);
    expect(await actions.precheck('hibernate')).toBe(
      'hibernation is not available: no resume= (`proxmox-sleep-agent doctor` shows the fixes)',
    );
    expect(await actions.precheck('shutdown')).toBeNull();
    // only the fast checks that can refuse, while the host waits for the reply
    expect(readiness.asked).toEqual([{ refusalsOnly: true }]);
    await actions.perform('shutdown');
    expect(performed).toEqual(['shutdown']);
  });

  it('a missing OS command is said first; a probe that throws does not block', async () => {
    const missing = withHibernationCheck(
      { ...base, precheck: async () => 'systemctl not found on PATH' },
      probe(),
    );
    expect(await missing.precheck('hibernate')).toBe('systemctl not found on PATH');
    const broken = withHibernationCheck(base, {
      inspect: async () => {
        throw new Error('EACCES');
      },
    });
    expect(await broken.precheck('hibernate')).toBeNull();
    expect(await withHibernationCheck(base, probe([ok, warn])).precheck('hibernate')).toBeNull();
  });
});

describe('the JSON lines the host reads through guest exec', () => {
  it('are ASCII, and parse back to the same text', () => {
    const reply = { success: false, message: 'swap 1.0 GiB ≥ RAM → Grüße' };
    const line = asciiJsonLine(reply);
    expect(line).toBe('{"success":false,"message":"swap 1.0 GiB \\u2265 RAM \\u2192 Gr\\u00fc\\u00dfe"}\n');
    expect(parseReply(line)).toEqual(reply);
  });
});
