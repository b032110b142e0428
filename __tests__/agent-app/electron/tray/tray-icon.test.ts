import { TRAY_STATES, trayIcon, trayIconFile } from '../../../../agent-app/electron/tray/tray-icon';
import { activeStatus, idleStatus } from '../../../helpers/status-samples';

const NOW = Date.UTC(2026, 10, 26, 3, 0, 0);

describe('trayIcon', () => {
  it.each([
    ['win32', 'tray-idle.ico', 'tray-active.ico', 'tray-blocked.ico'],
    ['darwin', 'tray-idleTemplate.png', 'tray-activeTemplate.png', 'tray-blockedTemplate.png'],
    ['linux', 'tray-idle-32.png', 'tray-active-32.png', 'tray-blocked-32.png'],
  ] as const)('on %s', (platform, idle, activeFile, blocked) => {
    expect(trayIcon(idleStatus(), platform, NOW)).toBe(idle);
    expect(trayIcon(activeStatus(['gpu_active']), platform, NOW)).toBe(activeFile);
    expect(trayIcon(null, platform, NOW)).toBe(activeFile);
    const blockedStatus = activeStatus(['user_block'], {
      block: { active: true, until: new Date(NOW + 60_000).toISOString(), source: 'tray' },
    });
    expect(trayIcon(blockedStatus, platform, NOW)).toBe(blocked);
    // the block ran out: no longer shown as blocked
    expect(trayIcon(blockedStatus, platform, NOW + 60_000)).toBe(activeFile);
  });

  it('indefinite block shows blocked', () => {
    expect(trayIcon(activeStatus(['user_block']), 'linux', NOW)).toBe('tray-blocked-32.png');
  });

  it('names one file per state and platform', () => {
    const names = TRAY_STATES.flatMap((s) =>
      ['win32', 'darwin', 'linux'].map((p) => trayIconFile(s, p as NodeJS.Platform)),
    );
    expect(new Set(names).size).toBe(9);
  });
});
