/**
 * Structured logging: events are data (a union keyed by `kind`), one formatter per kind turns them into a
 * line of text for humans or a JSON line for --json and journald. Loggers carry a namespace such as
 * `host:transport:qga`; each namespace prefix can have its own level. Messages may be given lazily.
 * Untrusted text (anything a guest wrote) is escaped in the formatter, never earlier.
 */
import type { CheckState } from '../protocol/status';
import { sanitizeForLog } from './sanitize';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVEL_ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogEvent =
  | { kind: 'message'; text: string; data?: Record<string, unknown> }
  | { kind: 'check'; guest?: string; check: string; state: CheckState; detail: string }
  | { kind: 'verdict'; maySleep: boolean; reasons: string[] }
  | { kind: 'fallback'; subject: string; to: string; why: string }
  | { kind: 'retry'; what: string; attempt: number; max: number; why: string }
  | { kind: 'guest-action'; guest: string; action: string; outcome: string; detail?: string }
  | { kind: 'sleep'; phase: string; detail?: string }
  | { kind: 'wake'; detail?: string };

export interface LogRecord {
  time: number;
  level: Level;
  namespace: string;
  event: LogEvent;
}

export type LogSink = (record: LogRecord) => void;

type Lazy = string | (() => string);

export interface Logger {
  readonly namespace: string;
  child(suffix: string): Logger;
  enabled(level: Level): boolean;
  debug(message: Lazy, data?: Record<string, unknown>): void;
  info(message: Lazy, data?: Record<string, unknown>): void;
  warn(message: Lazy, data?: Record<string, unknown>): void;
  error(message: Lazy, data?: Record<string, unknown>): void;
  event(level: Level, event: LogEvent | (() => LogEvent)): void;
}

export interface LoggerOptions {
  sink: LogSink;
  /** Level per namespace prefix; the longest matching prefix wins; '' is the default. */
  levels?: Record<string, Level>;
  now?: () => number;
}

export function createLogger(namespace: string, options: LoggerOptions): Logger {
  const levels: Record<string, Level> = { '': 'info', ...options.levels };
  const now = options.now ?? Date.now;
  const thresholdFor = (ns: string): Level => {
    let best = '';
    for (const prefix of Object.keys(levels)) {
      if ((ns === prefix || ns.startsWith(`${prefix}:`) || prefix === '') && prefix.length >= best.length)
        best = prefix;
    }
    return levels[best];
  };
  const make = (ns: string): Logger => {
    const threshold = LEVEL_ORDER[thresholdFor(ns)];
    const enabled = (level: Level) => LEVEL_ORDER[level] >= threshold;
    const emit = (level: Level, event: LogEvent | (() => LogEvent)) => {
      if (!enabled(level)) return;
      options.sink({
        time: now(),
        level,
        namespace: ns,
        event: typeof event === 'function' ? event() : event,
      });
    };
    const message = (level: Level) => (text: Lazy, data?: Record<string, unknown>) =>
      emit(level, () => ({ kind: 'message', text: typeof text === 'function' ? text() : text, data }));
    return {
      namespace: ns,
      child: (suffix) => make(ns ? `${ns}:${suffix}` : suffix),
      enabled,
      debug: message('debug'),
      info: message('info'),
      warn: message('warn'),
      error: message('error'),
      event: emit,
    };
  };
  return make(namespace);
}

const s = (text: string) => sanitizeForLog(text, 500);

/** The human-readable text of an event (without time, level or namespace). */
export function formatEventText(event: LogEvent): string {
  switch (event.kind) {
    case 'message':
      return s(event.text);
    case 'check':
      return `${event.guest ? `${s(event.guest)}: ` : ''}${s(event.check)} ${event.state}${event.detail ? ` (${s(event.detail)})` : ''}`;
    case 'verdict':
      return event.maySleep
        ? 'verdict: host may sleep'
        : `verdict: host stays awake: ${event.reasons.map(s).join('; ')}`;
    case 'fallback':
      return `${s(event.subject)}: falling back to ${s(event.to)}: ${s(event.why)}`;
    case 'retry':
      return `${s(event.what)}: retry ${event.attempt}/${event.max}: ${s(event.why)}`;
    case 'guest-action':
      return `${s(event.guest)}: ${s(event.action)} ${s(event.outcome)}${event.detail ? ` (${s(event.detail)})` : ''}`;
    case 'sleep':
      return `sleep: ${s(event.phase)}${event.detail ? ` (${s(event.detail)})` : ''}`;
    case 'wake':
      return `wake${event.detail ? `: ${s(event.detail)}` : ''}`;
  }
}

/** `YYYY-MM-DD HH:MM:SS` in local time, as log lines and `status` print it. */
export function localTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** `YYYY-MM-DD HH:MM:SS LEVEL namespace: text` — the previous release's line shape plus level and namespace. */
export function formatText(record: LogRecord): string {
  return `${localTime(record.time)} ${record.level.toUpperCase().padEnd(5)} ${record.namespace}: ${formatEventText(record.event)}`;
}

/** One JSON object per line; strings keep their content (JSON escapes control characters itself). */
export function formatJson(record: LogRecord): string {
  return JSON.stringify({
    time: new Date(record.time).toISOString(),
    level: record.level,
    ns: record.namespace,
    ...record.event,
  });
}

/** A sink that writes formatted lines to a stream (stderr by default). */
export function streamSink(format: 'text' | 'json', stream: NodeJS.WritableStream = process.stderr): LogSink {
  const fmt = format === 'json' ? formatJson : formatText;
  return (record) => {
    stream.write(`${fmt(record)}\n`);
  };
}

/** A sink that collects records, for tests and for commands that report what happened. */
export function memorySink(): LogSink & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  const sink = ((record: LogRecord) => {
    records.push(record);
  }) as LogSink & { records: LogRecord[] };
  sink.records = records;
  return sink;
}

export function teeSink(...sinks: LogSink[]): LogSink {
  return (record) => sinks.forEach((sink) => sink(record));
}
