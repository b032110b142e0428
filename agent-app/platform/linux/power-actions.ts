/** Linux: systemd does hibernate and power-off (logind checks the hibernation setup itself). */
import type { PowerCommandTable } from '../shared/power-actions';

export const LINUX_POWER_COMMANDS: PowerCommandTable = {
  hibernate: { command: 'systemctl', args: ['hibernate'] },
  shutdown: { command: 'systemctl', args: ['poweroff'] },
};
