/**
 * The SYSTEM side: reads `powercfg /requests` every interval and writes the snapshot atomically. The
 * folder it writes into must be a real folder (the installer creates it writable by SYSTEM and
 * administrators only); a symlink or junction planted there is refused instead of followed, so a user
 * cannot redirect a SYSTEM write.
 */
import * as path from 'path';
import { sleep, type Clock } from '../../../common/clock';
import { ensureRealDirectory, UnsafeDirectoryError, writeFileAtomic } from '../../../common/atomic-file';
import { errorMessage, UnavailableError } from '../../../common/errors';
import type { Logger } from '../../../common/log';
import type { PowerRequestProbe } from '../../core/checks/power-requests';
import { buildSnapshot, formatSnapshot, type PowerRequestSnapshot } from './power-requests-snapshot';

export class UnsafeSnapshotDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeSnapshotDirError';
  }
}

/** Creates the folder when missing; refuses one that is a symlink / junction or not a folder. */
export async function prepareSnapshotDir(file: string): Promise<void> {
  try {
    await ensureRealDirectory(path.dirname(file));
  } catch (e) {
    if (e instanceof UnsafeDirectoryError) throw new UnsafeSnapshotDirError(e.message);
    throw e;
  }
}

export async function writeSnapshot(file: string, snapshot: PowerRequestSnapshot): Promise<void> {
  await prepareSnapshotDir(file);
  await writeFileAtomic(file, formatSnapshot(snapshot), 0o644);
}

export interface WatchOptions {
  probe: PowerRequestProbe;
  file: string;
  intervalSeconds: number;
  clock: Clock;
  logger: Logger;
  /** Per-read limit (powercfg normally answers in well under a second). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Stop after this many snapshots (`--once`, tests); unbounded when absent. */
  maxTicks?: number;
}

/** One snapshot: what the probe says now, or an empty list with the reason it could not say. */
export async function takeSnapshot(
  probe: PowerRequestProbe,
  now: () => number,
  intervalSeconds: number,
  timeoutMs: number,
): Promise<PowerRequestSnapshot> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  try {
    const { requests, source } = await probe.read(controller.signal);
    return buildSnapshot({ requests, now: now(), intervalSeconds, source, error: null });
  } catch (e) {
    return buildSnapshot({
      requests: [],
      now: now(),
      intervalSeconds,
      source: 'powercfg',
      error: errorMessage(e),
      unavailable: e instanceof UnavailableError,
    });
  } finally {
    clearTimeout(timer);
  }
}

const summary = (s: PowerRequestSnapshot) =>
  s.error !== null
    ? `error: ${s.error}`
    : s.requests.length === 0
      ? 'no power requests'
      : s.requests.map((r) => `${r.kind} ${r.who}${r.why ? `: ${r.why}` : ''}`).join('; ');

/** The loop the scheduled task runs; returns the number of snapshots written. */
export async function runPowerRequestsWatch(options: WatchOptions): Promise<number> {
  const { clock, logger, signal } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let ticks = 0;
  let lastSummary: string | null = null;
  let lastWriteError: string | null = null;
  while (!signal?.aborted) {
    const started = clock.now();
    const snapshot = await takeSnapshot(options.probe, () => clock.now(), options.intervalSeconds, timeoutMs);
    const said = summary(snapshot);
    if (said !== lastSummary) logger.info(said);
    lastSummary = said;
    try {
      await writeSnapshot(options.file, snapshot);
      if (lastWriteError !== null) logger.info(`${options.file} is written again`);
      lastWriteError = null;
    } catch (e) {
      const message = errorMessage(e);
      if (message !== lastWriteError) logger.error(`cannot write ${options.file}: ${message}`);
      lastWriteError = message;
    }
    ticks += 1;
    if (options.maxTicks !== undefined && ticks >= options.maxTicks) break;
    try {
      await sleep(clock, options.intervalSeconds * 1000 - (clock.now() - started), signal);
    } catch {
      break; // aborted
    }
  }
  return ticks;
}
