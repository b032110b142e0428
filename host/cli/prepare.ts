/** What the commands that watch the guests share: loading the configuration, then the composition root. */
import type { Clock } from '../../common/clock';
import { formatText, type LogSink } from '../../common/log';
import { loadConfig, requireValid, type LoadedConfig } from '../config';
import { wire, type ProgressChoice, type Wired } from '../wiring';
import type { GlobalOptions, Io } from './io';

export interface Prepared {
  loaded: LoadedConfig;
  wired: Wired;
}

export interface PrepareOptions {
  /** Exit 78 on an invalid configuration (everything but `status`, `agent` and the sequence commands). */
  strict: boolean;
  logToFile?: boolean;
  /** Log only errors to stderr (check and status print their own report). */
  quiet?: boolean;
  clock?: Clock;
  progress?: ProgressChoice;
}

export function ioSink(io: Io, quiet: boolean): LogSink {
  return (record) => {
    if (quiet && record.level !== 'error') return;
    io.stderr(`${formatText(record)}\n`);
  };
}

export async function prepare(io: Io, globals: GlobalOptions, options: PrepareOptions): Promise<Prepared> {
  const loaded = loadConfig({ configFile: globals.config, env: io.env });
  if (options.strict) requireValid(loaded);
  const wired = await wire(loaded.config, {
    env: io.env,
    sink: ioSink(io, options.quiet ?? false),
    logToFile: options.logToFile,
    lenient: !options.strict,
    clock: options.clock,
    progress: options.progress,
  });
  return { loaded, wired };
}

/** Runs `body` with a prepared configuration and wiring, and closes the wiring afterwards. */
export async function withPrepared<T>(
  io: Io,
  globals: GlobalOptions,
  options: PrepareOptions,
  body: (prepared: Prepared) => Promise<T>,
): Promise<T> {
  const prepared = await prepare(io, globals, options);
  try {
    return await body(prepared);
  } finally {
    prepared.wired.close();
  }
}
