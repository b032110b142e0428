/**
 * The `notify` command's notifier in the tray package: writes the notice for the tray and waits briefly
 * for the tray's acknowledgement, so the host's reply says whether a person was actually told. Without an
 * acknowledgement (no tray running, nobody logged in) the fallback notifier runs (terminals on Linux).
 */
import { sleep, type Clock } from '../../../common/clock';
import { errorMessage } from '../../../common/errors';
import type { Notifier } from '../../core/commands';
import { buildNotice, noticeFile, noticeShownFile, readNoticeShown, writeNotice } from './notice-file';

export interface TrayNotifierOptions {
  statusFile: string;
  clock: Clock;
  fallback: Notifier | null;
  /** How long to wait for the tray (default 3 s: the tray watches the folder and answers in well under). */
  waitMs?: number;
  pollMs?: number;
}

export function createTrayNotifier(options: TrayNotifierOptions): Notifier {
  const waitMs = options.waitMs ?? 3000;
  const pollMs = options.pollMs ?? 100;
  return {
    async notify(message, seconds) {
      const { clock } = options;
      const notice = buildNotice(message, seconds, clock.now());
      let problem: string;
      try {
        await writeNotice(noticeFile(options.statusFile), notice);
        const deadline = clock.now() + waitMs;
        while (clock.now() < deadline) {
          if ((await readNoticeShown(noticeShownFile(options.statusFile))) === notice.id)
            return { delivered: true, detail: 'Notification shown on the desktop by the tray' };
          await sleep(clock, Math.min(pollMs, Math.max(0, deadline - clock.now())));
        }
        problem = `no tray acknowledged the notice within ${Math.round(waitMs / 1000)} s`;
      } catch (e) {
        problem = `cannot leave the notice for the tray: ${errorMessage(e)}`;
      }
      if (options.fallback === null)
        return { delivered: false, detail: `Notification not shown: ${problem}` };
      const fallback = await options.fallback.notify(message, seconds);
      return { delivered: fallback.delivered, detail: `${fallback.detail} (${problem})` };
    },
  };
}
