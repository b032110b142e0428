/** Windows: `shutdown /h` hibernates (needs hibernation enabled: `powercfg /hibernate on`). */
import type { PowerCommandTable } from '../shared/power-actions';

export const WINDOWS_POWER_COMMANDS: PowerCommandTable = {
  hibernate: { command: 'shutdown.exe', args: ['/h'] },
  shutdown: { command: 'shutdown.exe', args: ['/s', '/t', '0'] },
};
