/** The agent's checks: the shared signal model (common/check) with the status document's `details` as evidence. */
import type { Check, CheckReport } from '../../common/check';
import type { StatusDetails } from '../../protocol/status';

export type AgentEvidence = Partial<StatusDetails>;
export type AgentCheck = Check<AgentEvidence>;
export type AgentCheckReport = CheckReport<AgentEvidence>;

export { active, idle, unknown } from '../../common/check';
