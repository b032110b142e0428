/**
 * The agent's policy, pure: check reports in, a decision out. Unavailable checks are left out; an
 * `unknown` check counts as idle unless the configuration says `unknownIs: "active"`, in which case it
 * adds the reason the check stands for. Reasons keep check order and appear once.
 */
import type { CheckResult, StatusDetails } from '../../protocol/status';
import type { AgentCheckReport } from './agent-check';

export type UnknownPolicy = 'idle' | 'active';

export interface Decision {
  /** True when at least one check is active (or unknown under `unknownIs: "active"`). */
  active: boolean;
  reasons: string[];
  checks: CheckResult[];
  details: StatusDetails;
}

export function decide(reports: readonly AgentCheckReport[], unknownIs: UnknownPolicy): Decision {
  const reasons: string[] = [];
  const checks: CheckResult[] = [];
  const details: StatusDetails = {};
  const add = (reason: string) => {
    if (!reasons.includes(reason)) reasons.push(reason);
  };
  for (const report of reports) {
    if (report.state === 'unavailable') continue;
    checks.push({ name: report.name, state: report.state, detail: report.detail });
    Object.assign(details, report.evidence ?? {});
    if (report.state === 'active') {
      const all =
        report.reasons && report.reasons.length > 0 ? report.reasons : [report.reason ?? report.checkReason];
      all.forEach(add);
    } else if (report.state === 'unknown' && unknownIs === 'active') {
      add(report.checkReason);
    }
  }
  return { active: reasons.length > 0, reasons, checks, details };
}
