/** Builds the configured host checks. */
import type { Runner } from '../../common/shell';
import type { GlobalConfig } from '../config';
import { createBlockingProcessesCheck } from './blocking-processes';
import { createBlockingUnitsCheck } from './blocking-units';
import { createPtySessionsCheck } from './pty-sessions';
import { createSleepInhibitorsCheck } from './sleep-inhibitors';
import type { HostCheck } from './types';

export * from './types';
export { readHostGpuPercent } from './host-gpu';
export { readContainerProcesses } from './container-processes';

export function createHostChecks(global: GlobalConfig, deps: { run: Runner }): HostCheck[] {
  const checks: HostCheck[] = [];
  if (global.checkSshSessions) checks.push(createPtySessionsCheck());
  checks.push(createBlockingProcessesCheck(global.hostBlockingProcesses));
  checks.push(createBlockingUnitsCheck(global.hostBlockingUnits, deps));
  if (global.checkSleepInhibitors) checks.push(createSleepInhibitorsCheck(deps));
  return checks;
}
