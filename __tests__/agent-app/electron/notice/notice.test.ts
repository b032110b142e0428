import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { systemClock } from '../../../../common/clock';
import type { Notifier } from '../../../../agent-app/core/commands';
import {
  buildNotice,
  noticeDue,
  noticeFile,
  noticeShownFile,
  parseNotice,
  readNotice,
  readNoticeShown,
  sleepsAt,
  writeNotice,
  writeNoticeShown,
} from '../../../../agent-app/electron/notice/notice-file';
import { noticeView } from '../../../../agent-app/electron/notice/notice-view';
import { createTrayNotifier } from '../../../../agent-app/electron/notice/tray-notifier';

let dir: string;
let statusFile: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'notice-'));
  statusFile = path.join(dir, 'status.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const NOW = Date.UTC(2026, 10, 26, 3, 0, 0);
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('the notice file', () => {
  it('sits next to the status file, with its acknowledgement', () => {
    expect(noticeFile('/run/proxmox-sleep-agent/status.json')).toBe('/run/proxmox-sleep-agent/notice.json');
    expect(noticeShownFile('/run/proxmox-sleep-agent/status.json')).toBe(
      '/run/proxmox-sleep-agent/notice-shown.json',
    );
  });

  it('round-trips and cleans the message', async () => {
    const notice = buildNotice('Host sleeps\u001b[31m now', 60, NOW, '0123456789abcdef');
    expect(notice).toEqual({
      schema: 1,
      id: '0123456789abcdef',
      message: 'Host sleeps?[31m now',
      seconds: 60,
      written_at: '2026-11-26T03:00:00.000Z',
    });
    await writeNotice(noticeFile(statusFile), notice);
    expect(await readNotice(noticeFile(statusFile))).toEqual(notice);
    expect(sleepsAt(notice)).toBe(NOW + 60_000);
    expect(buildNotice('x', 99999, NOW).seconds).toBe(3600);
  });

  it.each([
    [{ schema: 1, id: 'XYZ', message: '', seconds: 60, written_at: '2026-11-26T03:00:00Z' }, /^id:/],
    [
      { schema: 1, id: 'abcdef0123', message: 'a\u0007', seconds: 60, written_at: '2026-11-26T03:00:00Z' },
      /^message:/,
    ],
    [
      { schema: 1, id: 'abcdef0123', message: '', seconds: -1, written_at: '2026-11-26T03:00:00Z' },
      /^seconds:/,
    ],
    [
      { schema: 1, id: 'abcdef0123', message: '', seconds: 60, written_at: 'now', more: 1 },
      /written_at|Unrecognized/,
    ],
  ])('refuses %p', (doc, message) => expect(() => parseNotice(bytes(doc))).toThrow(message));

  it('refuses oversized files; a broken file reads as no notice', async () => {
    expect(() => parseNotice(Buffer.alloc(5000, 0x20))).toThrow(/larger than 4096 bytes/);
    writeFileSync(noticeFile(statusFile), '{"schema":1');
    expect(await readNotice(noticeFile(statusFile))).toBeNull();
    expect(await readNotice(path.join(dir, 'missing.json'))).toBeNull();
  });

  it('never writes through a planted symlink folder', async () => {
    const target = path.join(dir, 'target');
    mkdirSync(target);
    symlinkSync(target, path.join(dir, 'run'));
    await expect(
      writeNotice(path.join(dir, 'run', 'notice.json'), buildNotice('x', 60, NOW)),
    ).rejects.toThrow(/symbolic link or junction/);
    expect(readdirSync(target)).toEqual([]);
  });

  it('acknowledgements round-trip', async () => {
    await writeNoticeShown(noticeShownFile(statusFile), 'abcdef0123', NOW);
    expect(await readNoticeShown(noticeShownFile(statusFile))).toBe('abcdef0123');
    writeFileSync(
      noticeShownFile(statusFile),
      '{"schema":1,"id":"../../x","shown_at":"2026-11-26T03:00:00Z"}',
    );
    expect(await readNoticeShown(noticeShownFile(statusFile))).toBeNull();
  });

  describe('noticeDue', () => {
    const notice = buildNotice('m', 60, NOW, 'abcdef0123');
    it('shows a new notice until shortly after the announced sleep', () => {
      expect(noticeDue(notice, null, NOW)).toBe(true);
      expect(noticeDue(notice, 'ffff000011', NOW + 64_000)).toBe(true);
      expect(noticeDue(notice, null, NOW + 66_000)).toBe(false);
    });
    it('never twice, and not from the far future', () => {
      expect(noticeDue(notice, 'abcdef0123', NOW)).toBe(false);
      expect(noticeDue(notice, null, NOW - 120_000)).toBe(false);
    });
  });
});

describe('the notification', () => {
  const notice = buildNotice('Nobody uses the host', 60, NOW, 'abcdef0123');

  it.each(['darwin', 'win32'] as const)('%s: a Keep awake button', (platform) => {
    expect(noticeView(notice, NOW, platform)).toEqual({
      title: "This computer's host will sleep in 60 s",
      body: 'Nobody uses the host\nKeep awake blocks its sleep for 1 hour.',
      action: 'Keep awake',
      clickKeepsAwake: false,
    });
  });

  it('Linux: no buttons through Electron, so a click keeps it awake and the text says so', () => {
    expect(noticeView(notice, NOW + 5000, 'linux')).toEqual({
      title: "This computer's host will sleep in 55 s",
      body: 'Nobody uses the host\nClick here to keep it awake for 1 hour.',
      action: null,
      clickKeepsAwake: true,
    });
  });

  it('long and past announcements', () => {
    expect(noticeView(buildNotice('', 600, NOW), NOW, 'win32').title).toBe(
      "This computer's host will sleep in 10 min",
    );
    expect(noticeView(buildNotice('', 60, NOW), NOW + 61_000, 'win32').title).toBe(
      "This computer's host is going to sleep",
    );
    expect(noticeView(buildNotice('  ', 60, NOW), NOW, 'win32').body).toBe(
      'Keep awake blocks its sleep for 1 hour.',
    );
  });
});

describe("the notify command's notifier (hand-over to the tray)", () => {
  const fallback = (): Notifier & { calls: number } => {
    const f = {
      calls: 0,
      notify: async () => {
        f.calls++;
        return { delivered: true, detail: 'Notification sent to logged-in terminals (wall)' };
      },
    };
    return f;
  };

  it('reports delivery when the tray acknowledges the notice', async () => {
    const wall = fallback();
    const notifier = createTrayNotifier({
      statusFile,
      clock: systemClock,
      fallback: wall,
      waitMs: 3000,
      pollMs: 10,
    });
    const acknowledging = (async () => {
      for (let i = 0; i < 300; i++) {
        const notice = await readNotice(noticeFile(statusFile));
        if (notice) return writeNoticeShown(noticeShownFile(statusFile), notice.id, Date.now());
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    expect(await notifier.notify('Sleeping soon', 60)).toEqual({
      delivered: true,
      detail: 'Notification shown on the desktop by the tray',
    });
    await acknowledging;
    expect(wall.calls).toBe(0);
  });

  it('without a tray, falls back and says why', async () => {
    const wall = fallback();
    const notifier = createTrayNotifier({
      statusFile,
      clock: systemClock,
      fallback: wall,
      waitMs: 100,
      pollMs: 10,
    });
    expect(await notifier.notify('Sleeping soon', 60)).toEqual({
      delivered: true,
      detail: 'Notification sent to logged-in terminals (wall) (no tray acknowledged the notice within 0 s)',
    });
    expect((await readNotice(noticeFile(statusFile)))?.message).toBe('Sleeping soon');
  });

  it('an old acknowledgement does not count', async () => {
    await writeNoticeShown(noticeShownFile(statusFile), 'abcdef0123', NOW);
    const notifier = createTrayNotifier({
      statusFile,
      clock: systemClock,
      fallback: null,
      waitMs: 50,
      pollMs: 10,
    });
    expect((await notifier.notify('x', 60)).delivered).toBe(false);
  });

  it('when the notice cannot be written (no fallback: Windows, macOS)', async () => {
    writeFileSync(path.join(dir, 'file'), '');
    const notifier = createTrayNotifier({
      statusFile: path.join(dir, 'file', 'status.json'),
      clock: systemClock,
      fallback: null,
    });
    const result = await notifier.notify('x', 60);
    expect(result.delivered).toBe(false);
    expect(result.detail).toMatch(/^Notification not shown: cannot leave the notice for the tray: /);
  });
});
