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
