import { sanitizeForLog } from './sanitize';

/** One problem in the configuration, with where it was found. */
export interface ConfigProblem {
  severity: 'error' | 'warning';
  /** The file the problem is in, or null for the environment / defaults. */
  file: string | null;
  line: number | null;
  key: string | null;
  message: string;
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.file ? `${p.file}${p.line !== null ? `:${p.line}` : ''}: ` : p.key ? 'environment: ' : '';
  const key = p.key ? `${p.key}: ` : '';
  return `${where}${p.severity}: ${key}${p.message}`;
}

/** Invalid configuration: reported at startup; commands that need a valid config exit 78 (EX_CONFIG). */
export class ConfigError extends Error {
  readonly exitCode = 78;
  constructor(
    readonly problems: ConfigProblem[],
    message = problems
      .filter((p) => p.severity === 'error')
      .map(formatProblem)
      .join('\n') || 'invalid configuration',
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Something that may work next time (a timeout, a guest that did not answer): becomes `unknown`, retried next tick. */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/** A binary or API that does not exist here: becomes `unknown` with one warning, not one per tick. */
export class UnavailableError extends Error {
  constructor(
    message: string,
    readonly what: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UnavailableError';
  }
}

export const EXIT = { ok: 0, failure: 1, usage: 64, config: 78 } as const;

/** The result of a finished command, as the shell seam returns it. */
export interface CommandFailure {
  command: string;
  args: readonly string[];
  exitCode: number | null;
  signal?: string | null;
  timedOut?: boolean;
  stderr: string;
  stdout?: string;
}

const EXIT_TEXT: Record<number, string> = {
  1: 'general error',
  2: 'misuse (bad arguments)',
  78: 'configuration error',
  124: 'timed out',
  126: 'not executable',
  127: 'command not found',
  130: 'interrupted',
  137: 'killed (SIGKILL)',
  143: 'terminated (SIGTERM)',
};

const ERRORISH = /error|fail|denied|not found|no such|invalid|cannot|can't|unable|refused|timeout|timed out/i;

/**
 * Keeps at most `max` lines of stderr, preferring the lines that look like errors, so a failure message
 * stays readable when a tool prints pages of output.
 */
export function cutStderr(stderr: string, max = 20): string {
  const lines = stderr.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length <= max) return lines.map((l) => sanitizeForLog(l, 300)).join('\n');
  const errorish = lines.filter((l) => ERRORISH.test(l));
  const picked =
    errorish.length >= max
      ? errorish.slice(-max)
      : [...errorish, ...lines.filter((l) => !ERRORISH.test(l)).slice(-(max - errorish.length))];
  const keep = new Set(picked);
  const ordered = lines.filter((l) => keep.has(l)).slice(0, max);
  return [
    ...ordered.map((l) => sanitizeForLog(l, 300)),
    `… (${lines.length - ordered.length} more lines)`,
  ].join('\n');
}

/** One human-readable sentence (plus stderr) for a command that failed; used by the CLI and the logs alike. */
export function describeFailure(f: CommandFailure): string {
  const cmd = [f.command, ...f.args]
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a)))
    .join(' ');
  let why: string;
  if (f.timedOut) why = 'timed out';
  else if (f.signal) why = `killed by ${f.signal}`;
  else if (f.exitCode === null) why = 'did not run';
  else why = `exited ${f.exitCode}${EXIT_TEXT[f.exitCode] ? ` (${EXIT_TEXT[f.exitCode]})` : ''}`;
  const err = cutStderr(f.stderr);
  return `\`${sanitizeForLog(cmd, 300)}\` ${why}${err ? `:\n${err}` : ''}`;
}

/** The message of anything thrown, without a stack. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
