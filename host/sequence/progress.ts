/**
 * Long waits made visible. On a terminal, a block of lines at the bottom shows every wait in progress
 * (which guest, what it waits for, seconds left), redrawn every second, with log lines printed above it.
 * Elsewhere (journal, cron mail, a pipe) each wait is one plain log line when it starts; how it ended is
 * logged by whoever waited.
 */
import type { Clock } from '../../common/clock';
import type { Logger, LogSink } from '../../common/log';
import { sanitizeForLog } from '../../common/sanitize';

export interface Progress {
  /** A wait begins; call the returned function when it is over. */
  wait(subject: string, what: string, deadline: number): () => void;
  /** Wraps a log sink so its lines do not tear the progress block. */
  wrapSink(sink: LogSink): LogSink;
  close(): void;
}

export function silentProgress(): Progress {
  return { wait: () => () => undefined, wrapSink: (s) => s, close: () => undefined };
}

export function logProgress(log: Logger, clock: Clock): Progress {
  return {
    wait(subject, what, deadline) {
      const seconds = Math.max(0, Math.round((deadline - clock.now()) / 1000));
      log.info(`${subject}: waiting up to ${seconds} s for ${what}`);
      return () => undefined;
    },
    wrapSink: (s) => s,
    close: () => undefined,
  };
}

export function terminalProgress(write: (text: string) => void, clock: Clock): Progress {
  const waits = new Map<number, { subject: string; what: string; deadline: number }>();
  let next = 1;
  let drawn = 0;
  let timer: unknown = null;
  const clear = () => {
    if (drawn > 0) write(`\x1b[${drawn}A\x1b[J`);
    drawn = 0;
  };
  const draw = () => {
    const lines = [...waits.values()].map(
      (w) =>
        `  ${sanitizeForLog(w.subject, 60)}: ${w.what} — ${Math.max(0, Math.ceil((w.deadline - clock.now()) / 1000))} s left`,
    );
    if (lines.length) write(`${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const tick = () => {
    clear();
    draw();
    timer = waits.size > 0 ? clock.setTimeout(tick, 1000) : null;
  };
  return {
    wait(subject, what, deadline) {
      const id = next++;
      waits.set(id, { subject, what, deadline });
      if (timer === null) tick();
      return () => {
        if (!waits.delete(id)) return;
        clear();
        draw();
        if (waits.size === 0 && timer !== null) {
          clock.clearTimeout(timer);
          timer = null;
        }
      };
    },
    wrapSink: (sink) => (record) => {
      clear();
      sink(record);
      draw();
    },
    close() {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      waits.clear();
      clear();
    },
  };
}
