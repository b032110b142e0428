/**
 * One writer for the status file when a tray and the headless daemon both run on a computer (macOS: the
 * LaunchDaemon next to the tray's login item). The tray wins while it runs: it sits in the user's session,
 * shows the pre-sleep notice and measures the same input. The daemon keeps evaluating but stands by while
 * the file holds a fresh tray document, and writes again once that goes stale (the tray quit, nobody is
 * logged in), so the host always reads exactly one agent.
 */
import type { Logger } from '../../common/log';
import { isFresh, readPreviousStatus, type PreviousStatus, type StatusWriter } from './status-writer';

export function trayIsWriting(previous: PreviousStatus | null, now: number): boolean {
  return (
    previous !== null &&
    previous.variant === 'tray' &&
    previous.intervalSeconds !== null &&
    isFresh(previous.writtenAt, previous.intervalSeconds, now)
  );
}

export function yieldingToTray(
  inner: StatusWriter,
  deps: { now: () => number; logger: Logger; read?: (file: string) => Promise<PreviousStatus | null> },
): StatusWriter {
  const read = deps.read ?? readPreviousStatus;
  let standingBy = false;
  return {
    file: inner.file,
    async write(status) {
      const tray = trayIsWriting(await read(inner.file), deps.now());
      if (tray !== standingBy)
        deps.logger.info(
          tray
            ? `the tray writes ${inner.file}: standing by while it runs`
            : `the tray no longer writes ${inner.file}: writing it again`,
        );
      standingBy = tray;
      if (!tray) await inner.write(status);
    },
  };
}
