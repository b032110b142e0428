import {
  buildTrayMenu,
  nextMenuRefresh,
  type MenuItemModel,
} from '../../../../agent-app/electron/tray/menu-model';
import { toMenuTemplate } from '../../../../agent-app/electron/tray/menu-template';
import { activeStatus, idleStatus } from '../../../helpers/status-samples';

// Local 14:07:00 so "until" times read naturally.
const NOW = new Date(2026, 10, 26, 14, 7, 0).getTime();
const MIN = 60_000;
const NO_BLOCK = { active: false, until: null, source: null };
const blockUntil = (ms: number) => ({ active: true, until: new Date(ms).toISOString(), source: 'tray' });
const FOREVER = { active: true, until: null, source: 'cli' };
const ON = { startAtLogin: true };

/** The menu as lines, for readable expectations: `text:`, `action:`, `[x]`/`[ ]`, `>` for submenus. */
function lines(items: readonly MenuItemModel[], indent = ''): string[] {
  return items.flatMap((item) => {
    switch (item.kind) {
      case 'separator':
        return [`${indent}---`];
      case 'text':
        return [`${indent}(${item.label})`];
      case 'action':
        return [`${indent}${item.label}`];
      case 'checkbox':
        return [`${indent}[${item.checked ? 'x' : ' '}] ${item.label}`];
      case 'submenu':
        return [`${indent}${item.label} >`, ...lines(item.items, `${indent}  `)];
    }
  });
}

const PRESETS = [
  '  30 minutes',
  '  1 hour',
  '  2 hours',
  '  4 hours',
  '  Until tomorrow morning (08:00)',
  '  Until I turn it off',
];

describe('buildTrayMenu', () => {
  it('idle', () => {
    expect(lines(buildTrayMenu(idleStatus({ idle_seconds: 725 }), NO_BLOCK, NOW, 'win32', ON))).toEqual([
      '(Idle 12 min — host may sleep)',
      '---',
      'Block sleep >',
      ...PRESETS,
      'Open status…',
      '---',
      '[x] Start at login',
      'Quit',
    ]);
  });

  it('active', () => {
    const status = activeStatus(['gpu_active'], { details: { gpu_percent: 85 } });
    expect(lines(buildTrayMenu(status, NO_BLOCK, NOW, 'linux', { startAtLogin: false }))).toEqual([
      '(Active: GPU 85 %)',
      '---',
      'Block sleep >',
      ...PRESETS,
      'Open status…',
      '---',
      '[ ] Start at login',
      'Quit',
    ]);
  });

  it('starting (no status yet)', () => {
    expect(lines(buildTrayMenu(null, NO_BLOCK, NOW, 'linux', ON))[0]).toBe('(Starting — checking activity…)');
  });

  it('blocked for a while: countdown in the status line, the submenu title and its first line', () => {
    const block = blockUntil(NOW + 83 * MIN);
    const status = activeStatus(['user_block'], { block });
    expect(lines(buildTrayMenu(status, block, NOW, 'win32', ON))).toEqual([
      '(Sleep blocked — 1 h 23 min left)',
      '---',
      'Block sleep — 1 h 23 min left >',
      '  (Blocked until 15:30 — 1 h 23 min left)',
      '  Stop blocking',
      '  ---',
      ...PRESETS,
      'Open status…',
      '---',
      '[x] Start at login',
      'Quit',
    ]);
  });

  it('blocked until turned off', () => {
    const status = activeStatus(['user_block'], { block: FOREVER });
    const menu = lines(buildTrayMenu(status, FOREVER, NOW, 'linux', ON));
    expect(menu.slice(0, 6)).toEqual([
      '(Sleep blocked until you turn it off)',
      '---',
      'Block sleep — on >',
      '  (Blocked until you turn it off)',
      '  Stop blocking',
      '  ---',
    ]);
  });

  it('the countdown runs minute by minute down to "1 min", then the block is gone', () => {
    const end = NOW + 3 * MIN;
    const block = blockUntil(end);
    const status = activeStatus(['user_block'], { block });
    const first = (now: number) => lines(buildTrayMenu(status, block, now, 'linux', ON))[0];
    expect(first(NOW)).toBe('(Sleep blocked — 3 min left)');
    expect(first(end - 2 * MIN - 1)).toBe('(Sleep blocked — 3 min left)');
    expect(first(end - 2 * MIN)).toBe('(Sleep blocked — 2 min left)');
    expect(first(end - MIN)).toBe('(Sleep blocked — 1 min left)');
    expect(first(end - 1)).toBe('(Sleep blocked — 1 min left)');
    expect(first(end)).toBe('(Block ended — checking activity…)');
    expect(lines(buildTrayMenu(status, block, end, 'linux', ON))[2]).toBe('Block sleep >');
  });

  it('a block ending on another day names the day', () => {
    const block = blockUntil(new Date(2026, 10, 27, 8, 0).getTime());
    const menu = lines(buildTrayMenu(activeStatus(['user_block'], { block }), block, NOW, 'linux', ON));
    expect(menu[3]).toBe('  (Blocked until tomorrow 08:00 — 17 h 53 min left)');
  });

  it('macOS says "Quit <app>"; no "Start at login" where it cannot be managed', () => {
    const menu = lines(buildTrayMenu(idleStatus(), NO_BLOCK, NOW, 'darwin', { startAtLogin: null }));
    expect(menu.slice(-2)).toEqual(['---', 'Quit Proxmox Sleep Agent']);
  });

  it('warns when the status file cannot be written (the host would not see any of this)', () => {
    const menu = lines(buildTrayMenu(idleStatus(), NO_BLOCK, NOW, 'win32', { ...ON, writeError: 'EACCES' }));
    expect(menu[1]).toBe('(⚠ The host cannot see this: status file not written)');
  });

  it('actions carry what they do', () => {
    const menu = buildTrayMenu(idleStatus(), NO_BLOCK, NOW, 'linux', ON);
    const submenu = menu.find((i) => i.kind === 'submenu');
    expect(
      submenu?.kind === 'submenu' && submenu.items.map((i) => (i.kind === 'action' ? i.action : null)),
    ).toEqual([
      { type: 'block', preset: '30m' },
      { type: 'block', preset: '1h' },
      { type: 'block', preset: '2h' },
      { type: 'block', preset: '4h' },
      { type: 'block', preset: 'morning' },
      { type: 'block', preset: 'indefinitely' },
    ]);
  });
});

describe('nextMenuRefresh', () => {
  it('is null without a countdown', () => {
    expect(nextMenuRefresh(NO_BLOCK, NOW)).toBeNull();
    expect(nextMenuRefresh(FOREVER, NOW)).toBeNull();
    expect(nextMenuRefresh(blockUntil(NOW - 1), NOW)).toBeNull();
  });

  it('is the moment the shown minute count changes, then the end', () => {
    const end = NOW + 83 * MIN + 20_000;
    expect(nextMenuRefresh(blockUntil(end), NOW)).toBe(NOW + 20_000);
    expect(nextMenuRefresh(blockUntil(NOW + 5 * MIN), NOW)).toBe(NOW + MIN);
    expect(nextMenuRefresh(blockUntil(NOW + 45_000), NOW)).toBe(NOW + 45_000);
  });

  it('refreshing at those moments shows every minute once (the countdown never skips or stalls)', () => {
    const end = NOW + 5 * MIN + 7_000;
    const block = blockUntil(end);
    const status = activeStatus(['user_block'], { block });
    const shown: string[] = [];
    for (let now: number | null = NOW; now !== null; now = nextMenuRefresh(block, now))
      shown.push(lines(buildTrayMenu(status, block, now, 'linux', ON))[0]);
    expect(shown).toEqual([
      '(Sleep blocked — 6 min left)',
      '(Sleep blocked — 5 min left)',
      '(Sleep blocked — 4 min left)',
      '(Sleep blocked — 3 min left)',
      '(Sleep blocked — 2 min left)',
      '(Sleep blocked — 1 min left)',
      '(Block ended — checking activity…)',
    ]);
  });
});

describe('toMenuTemplate', () => {
  it('greys out information lines and wires every click to its action', () => {
    const actions: unknown[] = [];
    const template = toMenuTemplate(buildTrayMenu(idleStatus(), NO_BLOCK, NOW, 'win32', ON), (a) =>
      actions.push(a),
    );
    expect(template[0]).toEqual({ label: 'Idle 10 min — host may sleep', enabled: false });
    expect(template[1]).toEqual({ type: 'separator' });
    const submenu = template[2].submenu as Electron.MenuItemConstructorOptions[];
    (submenu[1].click as () => void)();
    (template[3].click as () => void)();
    expect(template[5]).toMatchObject({ label: 'Start at login', type: 'checkbox', checked: true });
    (template[5].click as () => void)();
    (template[6].click as () => void)();
    expect(actions).toEqual([
      { type: 'block', preset: '1h' },
      { type: 'open-status' },
      { type: 'toggle-login' },
      { type: 'quit' },
    ]);
  });
});
