/**
 * Hibernation readiness inside the guest: each OS's probe returns doctor checks (ok / warning / problem,
 * one line of evidence, the fixing command). `doctor` prints them; `hibernate` refuses while one is a
 * problem, so the host moves on at once instead of waiting out its HIBERNATE_TIMEOUT.
 */
import { errorMessage } from '../../common/errors';
import type { DoctorCheck, DoctorReport } from '../../protocol/doctor';
import type { PowerActions } from './commands';
import type { AgentOs } from './paths';
import { protocolText } from './text';

export interface InspectOptions {
  /**
   * Only what can refuse a hibernation, fast: `hibernate` asks this while the host waits for its reply, so
   * slow checks that can only warn (listing the initramfs) are left out.
   */
  refusalsOnly?: boolean;
}

export interface ReadinessProbe {
  inspect(signal: AbortSignal, options?: InspectOptions): Promise<DoctorCheck[]>;
}

/** The protocol's text limits: evidence and fix are one line of at most 500 characters. */
export function oneLine(text: string, max = 500): string {
  return protocolText(text.replace(/\s+/g, ' ').trim(), max);
}

export function check(
  name: string,
  verdict: DoctorCheck['verdict'],
  evidence: string,
  fix: string | null = null,
): DoctorCheck {
  return { name, verdict, evidence: oneLine(evidence), fix: fix === null ? null : oneLine(fix) };
}

export function doctorReport(os: AgentOs, checks: DoctorCheck[]): DoctorReport {
  return { os, hibernation_ready: checks.every((c) => c.verdict !== 'problem'), checks };
}

/** 0 every check ok, 1 a warning, 2 a problem (as the host's `doctor`). */
export function doctorExitCode(checks: readonly DoctorCheck[]): number {
  if (checks.some((c) => c.verdict === 'problem')) return 2;
  return checks.some((c) => c.verdict === 'warning') ? 1 : 0;
}

/** Why hibernation cannot work right now (the evidence of every problem), or null. */
export function hibernationBlocker(checks: readonly DoctorCheck[]): string | null {
  const problems = checks.filter((c) => c.verdict === 'problem');
  if (problems.length === 0) return null;
  const said = oneLine(problems.map((c) => c.evidence).join('; '), 850);
  return `${said} (\`proxmox-sleep-agent doctor\` shows the fixes)`;
}

/** A probe that failed is itself a finding: the readiness is unknown, which is a warning, not a refusal. */
export async function inspectSafely(
  probe: ReadinessProbe,
  signal: AbortSignal,
  options: InspectOptions = {},
): Promise<DoctorCheck[]> {
  try {
    return await probe.inspect(signal, options);
  } catch (e) {
    return [check('readiness', 'warning', `the readiness check itself failed: ${errorMessage(e)}`)];
  }
}

/** `hibernate` asks the probe first and refuses with the problems it names; `shutdown` is unchanged. */
export function withHibernationCheck(actions: PowerActions, probe: ReadinessProbe): PowerActions {
  return {
    async precheck(action) {
      const problem = await actions.precheck(action);
      if (problem !== null || action !== 'hibernate') return problem;
      const checks = await inspectSafely(probe, new AbortController().signal, { refusalsOnly: true });
      const blocker = hibernationBlocker(checks);
      return blocker === null ? null : `hibernation is not available: ${blocker}`;
    },
    perform: (action) => actions.perform(action),
  };
}
