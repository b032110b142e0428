import { closeSync, constants, openSync, writeSync } from 'fs';
import { formatText, type LogSink } from './log';

/**
 * Appends formatted log lines to a file (IDLE_MONITOR_LOG), never through a symlink. Returns null when the
 * file cannot be opened, so the caller can say so once and go on with stderr only.
 */
export function fileSink(file: string): { sink: LogSink; close(): void } | { error: string } {
  let fd: number;
  try {
    fd = openSync(
      file,
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW,
      0o644,
    );
  } catch (e) {
    return { error: `cannot write the log file ${file}: ${(e as Error).message}` };
  }
  return {
    sink: (record) => {
      try {
        writeSync(fd, `${formatText(record)}\n`);
      } catch {
        // A full disk must not stop the monitor; stderr still gets the line.
      }
    },
    close: () => closeSync(fd),
  };
}
