/**
 * Watches for the host's pre-sleep notice (notice.json next to the status file) and shows each new one
 * once, then acknowledges it (notice-shown.json) so the `notify` command can tell the host a person was
 * told. A restarted tray does not repeat a notice it already acknowledged.
 */
import type { Clock } from '../../../common/clock';
import { errorMessage } from '../../../common/errors';
import type { Logger } from '../../../common/log';
import {
  noticeDue,
  noticeFile,
  noticeShownFile,
  readNotice,
  readNoticeShown,
  writeNoticeShown,
  type Notice,
} from '../notice/notice-file';
import { watchFile } from '../../platform/shared/watch-file';

export interface NoticeWatcher {
  /** Looks at the notice file now (also called on every status). */
  check(): Promise<void>;
  close(): void;
}

export async function createNoticeWatcher(options: {
  statusFile: string;
  clock: Clock;
  logger: Logger;
  show(notice: Notice): void;
}): Promise<NoticeWatcher> {
  const file = noticeFile(options.statusFile);
  const shownFile = noticeShownFile(options.statusFile);
  let lastShown = await readNoticeShown(shownFile);
  let checking: Promise<void> | null = null;

  const checkNow = async () => {
    const notice = await readNotice(file);
    if (notice === null || !noticeDue(notice, lastShown, options.clock.now())) return;
    lastShown = notice.id;
    options.logger.info(`pre-sleep notice: the host sleeps in ${notice.seconds} s`);
    options.show(notice);
    try {
      await writeNoticeShown(shownFile, notice.id, options.clock.now());
    } catch (e) {
      options.logger.warn(`cannot acknowledge the notice in ${shownFile}: ${errorMessage(e)}`);
    }
  };
  const check = () => {
    checking ??= checkNow().finally(() => (checking = null));
    return checking;
  };
  const stop = watchFile(file, () => void check(), 50);
  return { check, close: stop };
}
