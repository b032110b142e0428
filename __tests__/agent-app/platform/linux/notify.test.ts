import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { createLinuxNotifier, noticeText } from '../../../../agent-app/platform/linux/notify';
import { lazyRunner } from '../../../../agent-app/platform/shared/commands';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'agent-notify-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('headless notify', () => {
  it("writes to each login's terminal when wall is missing", async () => {
    mkdirSync(path.join(dir, 'pts'));
    for (const tty of ['pts/0', 'tty1']) writeFileSync(path.join(dir, tty), '');
    const notifier = createLinuxNotifier({
      run: lazyRunner({ timeoutMs: 5000 }),
      findOnPath: async () => null,
      devDir: dir,
      sessions: async () => [
        { kind: 'ssh', user: 'ann', line: 'pts/0', host: '192.0.2.1' },
        { kind: 'tty', user: 'root', line: 'tty1', host: '' },
        { kind: 'tty', user: 'eve', line: '../etc/passwd', host: '' },
      ],
    });
    expect(await notifier.notify('Host sleeps soon', 30)).toEqual({
      delivered: true,
      detail: 'Notification written to 2 terminals',
    });
    expect(readFileSync(path.join(dir, 'pts/0'), 'utf8')).toBe(
      `\r\n${noticeText('Host sleeps soon', 30).replace(/\n/g, '\r\n')}\r\n`,
    );
  });

  it('never passes control characters to a terminal', () => {
    expect(noticeText('\u001b]0;pwned\u0007hi', 0)).toBe(
      'Proxmox Sleep: ?]0;pwned?hi\nThis machine will be suspended. To keep it awake: sudo proxmox-sleep-agent block --for 1h',
    );
  });
});
