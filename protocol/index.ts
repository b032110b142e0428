/** Protocol v1: everything the host and the agents share. The export list is pinned by a test. */
export { PROTOCOL_VERSION, MAX_STATUS_BYTES, MAX_REPLY_BYTES } from './version';
export { REASONS, REASON_PREFIXES, REASON_PATTERN, ReasonSchema, isKnownReason } from './reasons';
export type { Reason, KnownReason } from './reasons';
export { SAFE_TEXT_PATTERN } from './text';
export {
  StatusSchema,
  AgentInfoSchema,
  BlockStateSchema,
  DetailsSchema,
  CheckResultSchema,
  CheckStateSchema,
  CHECK_STATES,
} from './status';
export type { Status, AgentInfo, BlockState, StatusDetails, CheckResult, CheckState } from './status';
export { ReplySchema, BlockArgsSchema, NotifyArgsSchema, Commands, COMMAND_NAMES } from './commands';
export type { Reply, CommandName, CommandArgs, CommandResponse } from './commands';
export { DoctorReportSchema, DoctorCheckSchema, DOCTOR_VERDICTS } from './doctor';
export type { DoctorReport, DoctorCheck, DoctorVerdict } from './doctor';
export { WakeAtArgsSchema } from './wake';
export { parseStatus, parseReply, safeParseStatus, ProtocolError } from './parse';
export type { ProtocolErrorCode, ParseResult } from './parse';
export { protocolJsonSchema, protocolJsonSchemaText } from './json-schema';
