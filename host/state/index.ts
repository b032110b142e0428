export { ensureStateDir, checkStateDir, stateDirExists } from './state-dir';
export {
  createMonitorStateStore,
  MONITOR_FILE,
  WAKE_FILE,
  LEGACY_IDLE_FILE,
  type MonitorStateStore,
  type LoadedMonitorState,
  type GuestOs,
} from './monitor-state';
export {
  SLEEP_RECORDS_FILE,
  RESUMABLE_VALUES,
  SETTLED_VALUES,
  createSleepRecordStore,
  isResumable,
  parseRecordKey,
  parseSleepRecords,
  recordKey,
  serializeSleepRecords,
  type RecordKey,
  type RecordValue,
  type ResumableValue,
  type SleepRecordStore,
  type ParsedRecords,
} from './sleep-records';
export {
  RUN_RECORD_FILE,
  HOOK_EVENTS_FILE,
  createRunRecordStore,
  type RunRecord,
  type RunRecordStore,
  type RunCommand,
  type RunPhase,
  type SuspendMark,
  type HookEvents,
  type HookEvent,
  type LoadedRun,
} from './run-record';
export {
  SEQUENCE_LOCK_FILE,
  acquireLock,
  lockHolder,
  tryAcquireLock,
  type LockAttempt,
  type LockHolder,
  type SequenceLock,
} from './sequence-lock';
export { currentProcess, isRunning, readBootId, type ProcessIdentity } from './process-identity';
