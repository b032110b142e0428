/**
 * Where log lines go: stderr (or the caller's sink), plus IDLE_MONITOR_LOG for the monitor and
 * SLEEP_MANAGER_LOG for the sleep sequence (1.x: the manager's own file) when the command logs to files.
 */
import { createLogger, streamSink, teeSink, type Level, type Logger, type LogSink } from '../../common/log';
import { fileSink } from '../../common/log-file';

export interface LogTargets {
  /** Where every line goes (default stderr). */
  sink?: LogSink;
  /** Also append to this file, when set. */
  file?: string | null;
  debug: boolean;
  now: () => number;
  /** Wraps the sink (the sequence's progress display keeps its lines whole). */
  wrap?: (sink: LogSink) => LogSink;
  warnings: string[];
  closers: (() => void)[];
}

export function createNamedLogger(namespace: string, targets: LogTargets): Logger {
  let sink = targets.sink ?? streamSink('text');
  if (targets.file) {
    const file = fileSink(targets.file);
    if ('error' in file) targets.warnings.push(file.error);
    else {
      sink = teeSink(sink, file.sink);
      targets.closers.push(file.close);
    }
  }
  if (targets.wrap) sink = targets.wrap(sink);
  const levels: Record<string, Level> = { '': targets.debug ? 'debug' : 'info' };
  return createLogger(namespace, { sink, levels, now: targets.now });
}
