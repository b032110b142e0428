/**
 * The tray menu as plain data, built by a pure function of (status, block, clock, platform). The tray
 * module turns it into an Electron menu (menu-template.ts) and applies it only when it changed.
 *
 *   Idle 12 min — host may sleep          (what the host sees, greyed)
 *   ───────────
 *   Block sleep                      ▸    30 minutes · 1 hour · 2 hours · 4 hours ·
 *                                         Until tomorrow morning · Until I turn it off
 *                                         (while blocked: "Blocked until 14:30 — 1 h 23 min left", Stop blocking)
 *   Open status…
 *   ───────────
 *   ✓ Start at login
 *   Quit
 */
import type { BlockState, Status } from '../../../protocol/status';
import { MORNING_HOUR, PRESET_LABELS, SET_PRESETS, type BlockPreset } from '../shared/block-presets';
import { blockEnd, blockInForce, blockText, statusLine } from '../shared/describe';
import { formatRemaining } from '../shared/format';

export type MenuAction =
  | { type: 'block'; preset: BlockPreset }
  | { type: 'open-status' }
  | { type: 'toggle-login' }
  | { type: 'quit' };

export type MenuItemModel =
  | { kind: 'separator' }
  | { kind: 'text'; label: string }
  | { kind: 'action'; label: string; action: MenuAction }
  | { kind: 'checkbox'; label: string; checked: boolean; action: MenuAction }
  | { kind: 'submenu'; label: string; items: MenuItemModel[] };

export interface TrayMenuOptions {
  /** Whether the app starts at login; null where this platform/packaging cannot tell or change it. */
  startAtLogin: boolean | null;
  /** Why the status file could not be written (shown as a warning line), or null. */
  writeError?: string | null;
}

function presetLabel(preset: Exclude<BlockPreset, 'off'>): string {
  return preset === 'morning'
    ? `${PRESET_LABELS.morning} (${String(MORNING_HOUR).padStart(2, '0')}:00)`
    : PRESET_LABELS[preset];
}

function blockSubmenu(block: BlockState, now: number): MenuItemModel {
  const blocked = blockInForce(block, now);
  const end = blockEnd(block);
  const items: MenuItemModel[] = [];
  if (blocked) {
    items.push(
      { kind: 'text', label: blockText(block, now) },
      { kind: 'action', label: PRESET_LABELS.off, action: { type: 'block', preset: 'off' } },
      { kind: 'separator' },
    );
  }
  for (const preset of SET_PRESETS)
    items.push({ kind: 'action', label: presetLabel(preset), action: { type: 'block', preset } });
  const label = !blocked
    ? 'Block sleep'
    : end === null
      ? 'Block sleep — on'
      : `Block sleep — ${formatRemaining(end, now)}`;
  return { kind: 'submenu', label, items };
}

export function buildTrayMenu(
  status: Status | null,
  block: BlockState,
  now: number,
  platform: NodeJS.Platform,
  options: TrayMenuOptions,
): MenuItemModel[] {
  const items: MenuItemModel[] = [{ kind: 'text', label: statusLine(status, block, now) }];
  if (options.writeError)
    items.push({ kind: 'text', label: '⚠ The host cannot see this: status file not written' });
  items.push(
    { kind: 'separator' },
    blockSubmenu(block, now),
    { kind: 'action', label: 'Open status…', action: { type: 'open-status' } },
    { kind: 'separator' },
  );
  if (options.startAtLogin !== null)
    items.push({
      kind: 'checkbox',
      label: 'Start at login',
      checked: options.startAtLogin,
      action: { type: 'toggle-login' },
    });
  items.push({
    kind: 'action',
    label: platform === 'darwin' ? 'Quit Proxmox Sleep Agent' : 'Quit',
    action: { type: 'quit' },
  });
  return items;
}

/**
 * When the menu must be rebuilt next even if no status arrives: the countdown changes every minute while
 * a block with an end holds, and the block's end itself changes the menu. Null when nothing time-driven
 * is shown.
 */
export function nextMenuRefresh(block: BlockState, now: number): number | null {
  const end = blockEnd(block);
  if (end === null || end <= now) return null;
  // the next moment the rounded-up minute count changes (the last one is the end itself)
  return now + ((end - now) % 60_000 || 60_000);
}
