/** macOS: `pmset sleepnow` (hibernates when hibernatemode is 25) and an immediate halt. */
import type { PowerCommandTable } from '../shared/power-actions';

export const MACOS_POWER_COMMANDS: PowerCommandTable = {
  hibernate: { command: 'pmset', args: ['sleepnow'] },
  shutdown: { command: 'shutdown', args: ['-h', 'now'] },
};
