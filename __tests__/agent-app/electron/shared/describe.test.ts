import {
  activitySummary,
  blockInForce,
  checkLabel,
  reasonText,
  statusLine,
  trayState,
  trayTooltip,
  verdictText,
} from '../../../../agent-app/electron/shared/describe';
import type { Status } from '../../../../protocol';
import { StatusSchema } from '../../../../protocol';
import { activeStatus, idleStatus } from '../../../helpers/status-samples';

const NOW = Date.UTC(2026, 10, 26, 3, 0, 0);
const NO_BLOCK = { active: false, until: null, source: null };
const until = (ms: number) => ({ active: true, until: new Date(ms).toISOString(), source: 'tray' });
const active = (reasons: string[], details: Status['details'] = {}) =>
  StatusSchema.parse(activeStatus(reasons, { details }));

describe('reasonText', () => {
  it.each([
    [['gpu_active'], { gpu_percent: 85.4 }, 'GPU 85 %'],
    [['gpu_active'], {}, 'GPU busy'],
    [['user_input'], { user_idle_seconds: 12 }, 'keyboard/mouse used 12 s ago'],
    [['user_input'], {}, 'keyboard/mouse in use'],
    [['power_request'], { power_requests: ['chrome.exe: Playing audio'] }, 'power request by chrome.exe'],
    [['power_request'], {}, 'a program asks to stay awake'],
    [['process:steam'], {}, 'steam running'],
    [['cpu_load'], { load_average: 2.5 }, 'CPU busy (load 2.50)'],
    [['network_active'], { network_kbps: 12_500 }, 'network 12.5 Mbit/s'],
    [['session_active'], { sessions: 2 }, '2 login sessions open'],
    [['session_active'], {}, 'someone is logged in'],
    [['custom:nightly-backup'], {}, 'nightly-backup'],
    [['user_block'], {}, 'sleep blocked'],
    [['future_reason'], {}, 'future_reason'],
  ])('%p with %p → %p', (reasons, details, text) => {
    expect(reasonText(reasons[0], active(reasons, details))).toBe(text);
  });
});

describe('statusLine: what the host sees, in the tray menu', () => {
  it('before the first status, and while starting', () => {
    expect(statusLine(null, NO_BLOCK, NOW)).toBe('Starting — checking activity…');
    expect(statusLine(active(['starting']), NO_BLOCK, NOW)).toBe('Starting — checking activity…');
  });

  it.each([
    [0, 'Idle — host may sleep'],
    [59, 'Idle — host may sleep'],
    [60, 'Idle 1 min — host may sleep'],
    [12 * 60 + 30, 'Idle 12 min — host may sleep'],
    [3 * 3600 + 5 * 60, 'Idle 3 h 5 min — host may sleep'],
  ])('idle for %p s: %p', (seconds, line) => {
    expect(statusLine(idleStatus({ idle_seconds: seconds }), NO_BLOCK, NOW)).toBe(line);
  });

  it('active: the first reason, and how many more', () => {
    expect(statusLine(active(['gpu_active'], { gpu_percent: 85 }), NO_BLOCK, NOW)).toBe('Active: GPU 85 %');
    expect(
      statusLine(active(['gpu_active', 'user_input', 'process:steam'], { gpu_percent: 85 }), NO_BLOCK, NOW),
    ).toBe('Active: GPU 85 % and 2 more');
  });

  it('blocked: the countdown wins over everything else', () => {
    const status = active(['user_block', 'gpu_active'], { gpu_percent: 85 });
    expect(statusLine(status, until(NOW + 83 * 60_000), NOW)).toBe('Sleep blocked — 1 h 23 min left');
    expect(statusLine(status, { active: true, until: null, source: 'cli' }, NOW)).toBe(
      'Sleep blocked until you turn it off',
    );
  });

  it('a block that ran out before the next status does not read as activity', () => {
    const status = active(['user_block']);
    expect(statusLine(status, until(NOW - 1000), NOW)).toBe('Block ended — checking activity…');
    expect(activitySummary(status)).toBe('nothing');
  });
});

describe('trayState and blockInForce', () => {
  it('blocked beats active beats idle; an expired block is no block', () => {
    expect(trayState(idleStatus(), NO_BLOCK, NOW)).toBe('idle');
    expect(trayState(active(['gpu_active']), NO_BLOCK, NOW)).toBe('active');
    expect(trayState(null, NO_BLOCK, NOW)).toBe('active');
    expect(trayState(active(['user_block']), until(NOW + 1000), NOW)).toBe('blocked');
    expect(trayState(active(['user_block']), until(NOW), NOW)).toBe('active');
    expect(blockInForce({ active: true, until: 'garbage', source: null }, NOW)).toBe(false);
    expect(blockInForce({ active: false, until: null, source: null }, NOW)).toBe(false);
  });
});

describe('verdictText', () => {
  it('says what the host will do', () => {
    expect(verdictText(idleStatus(), NO_BLOCK, NOW)).toBe('This computer is idle: the host may sleep');
    expect(verdictText(active(['gpu_active']), NO_BLOCK, NOW)).toBe(
      'This computer is in use: the host stays awake',
    );
    expect(verdictText(active(['user_block']), until(NOW + 60_000), NOW)).toBe(
      'This computer keeps the host awake: sleep is blocked',
    );
    expect(verdictText(null, NO_BLOCK, NOW)).toBe('Starting — the first check runs now');
  });
});

describe('trayTooltip', () => {
  it('names the app, the state and the reason', () => {
    expect(trayTooltip(active(['gpu_active'], { gpu_percent: 85 }), NO_BLOCK, NOW)).toBe(
      'Proxmox Sleep Agent\nActive: GPU 85 %',
    );
  });

  it('while blocked also says what else is active', () => {
    expect(trayTooltip(active(['user_block', 'process:steam']), until(NOW + 30 * 60_000), NOW)).toBe(
      'Proxmox Sleep Agent\nSleep blocked — 30 min left\nAlso active: steam running',
    );
  });

  it('stays within the 127 characters Windows shows', () => {
    const name = 'x'.repeat(128);
    const text = trayTooltip(active([`process:${name}`]), NO_BLOCK, NOW);
    expect(text.length).toBeLessThanOrEqual(127);
    expect(text.endsWith('…')).toBe(true);
  });
});

it('check labels for people; custom checks keep their names', () => {
  expect(checkLabel('input')).toBe('Keyboard and mouse');
  expect(checkLabel('power_requests')).toBe('Power requests');
  expect(checkLabel('nightly-backup')).toBe('nightly-backup');
});
