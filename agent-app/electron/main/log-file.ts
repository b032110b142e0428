/**
 * The tray's log: a text file in the app's log folder (a tray has no terminal to print to), kept under a
 * size limit by moving the full file to `.1`. Lines are formatted by the common logger.
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'fs';
import * as path from 'path';
import { formatText, type LogSink } from '../../../common/log';

export function fileSink(file: string, maxBytes = 1024 * 1024, mirror?: (line: string) => void): LogSink {
  let ready = false;
  return (record) => {
    const line = `${formatText(record)}\n`;
    mirror?.(line);
    try {
      if (!ready) {
        mkdirSync(path.dirname(file), { recursive: true });
        ready = true;
      }
      try {
        if (statSync(file).size > maxBytes) renameSync(file, `${file}.1`);
      } catch {
        // no file yet
      }
      appendFileSync(file, line);
    } catch {
      // a log that cannot be written must not stop the tray
    }
  };
}
