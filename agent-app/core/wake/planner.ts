/**
 * Asks every wake source (in parallel, each under a timeout) and keeps the earliest request ahead of now
 * that the user did not ignore. Never throws: a source that does not exist on this guest is left out and
 * warned about once; one that fails counts as "no request" this time, warned about once per new message.
 */
import type { Clock } from '../../../common/clock';
import { UnavailableError, errorMessage } from '../../../common/errors';
import type { Logger } from '../../../common/log';
import { earliestWake, type WakeRequest, type WakeSource } from './wake-request';

export interface WakePlanner {
  next(now: number): Promise<WakeRequest | null>;
  close(): Promise<void>;
}

export interface WakePlannerOptions {
  sources: readonly WakeSource[];
  /** Requests whose source contains one of these (case-insensitive) are not reported. */
  ignore: readonly string[];
  timeoutMs: number;
  clock: Clock;
  logger: Logger;
}

function readWithin(source: WakeSource, now: number, clock: Clock, timeoutMs: number) {
  const controller = new AbortController();
  let timer: unknown;
  const timeout = new Promise<never>((_, reject) => {
    timer = clock.setTimeout(() => {
      const error = new Error(`timed out after ${timeoutMs / 1000}s`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  return Promise.race([source.read(controller.signal, now), timeout]).finally(() =>
    clock.clearTimeout(timer),
  );
}

export function createWakePlanner(options: WakePlannerOptions): WakePlanner {
  const { clock, logger, timeoutMs } = options;
  const ignore = options.ignore.map((text) => text.toLowerCase());
  const lastProblem = new Map<string, string>();

  const note = (source: WakeSource, problem: string | null, unavailable = false) => {
    const previous = lastProblem.get(source.name);
    if (problem === null) {
      if (previous !== undefined) logger.info(`wake source ${source.name} answers again`);
      lastProblem.delete(source.name);
    } else if (problem !== previous) {
      lastProblem.set(source.name, problem);
      logger.warn(
        unavailable
          ? `wake source ${source.name} is not available on this system and is left out: ${problem}`
          : `wake source ${source.name} failed: ${problem}`,
      );
    }
  };

  const ask = async (source: WakeSource, now: number): Promise<WakeRequest[]> => {
    try {
      const requests = await readWithin(source, now, clock, timeoutMs);
      note(source, null);
      return requests;
    } catch (e) {
      note(source, errorMessage(e), e instanceof UnavailableError);
      return [];
    }
  };

  return {
    async next(now) {
      const all = (await Promise.all(options.sources.map((source) => ask(source, now)))).flat();
      const wanted = all.filter((r) => !ignore.some((text) => r.source.toLowerCase().includes(text)));
      return earliestWake(wanted, now);
    },
    async close() {
      for (const source of options.sources) {
        try {
          await source.close?.();
        } catch (e) {
          logger.warn(`closing wake source ${source.name}: ${errorMessage(e)}`);
        }
      }
    },
  };
}

/**
 * Reuses a source's answer (or failure) for `ttlMs`: wake timers change rarely, and asking the OS every
 * evaluation would cost a process start or a round of D-Bus calls each time.
 */
export function cachedWakeSource(source: WakeSource, ttlMs: number): WakeSource {
  let cached: { at: number; outcome: Promise<WakeRequest[]> } | null = null;
  return {
    name: source.name,
    read(signal, now) {
      if (cached === null || now - cached.at >= ttlMs || now < cached.at)
        cached = { at: now, outcome: source.read(signal, now) };
      return cached.outcome;
    },
    close: source.close?.bind(source),
  };
}
