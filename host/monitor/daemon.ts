/**
 * `daemon`: tick every CHECK_INTERVAL on the injected clock until stopped. SIGTERM/SIGINT run the handler
 * once: the loop stops after the current tick, and if it has not ended within `forceExitMs` the process
 * exits anyway. A bounded run (`maxTicks`) lets tests and benchmarks end on their own.
 */
import { sleep, type Clock } from '../../common/clock';
import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/log';

export interface SignalSource {
  on(signal: 'SIGTERM' | 'SIGINT', handler: () => void): void;
  off(signal: 'SIGTERM' | 'SIGINT', handler: () => void): void;
}

export interface DaemonOptions {
  intervalMs: number;
  clock: Clock;
  log: Logger;
  tick: () => Promise<unknown>;
  maxTicks?: number;
  signals?: SignalSource;
  /** Called when the loop did not end within forceExitMs of a signal. */
  forceExit?: (code: number) => void;
  forceExitMs?: number;
}

export async function runDaemon(options: DaemonOptions): Promise<{ ticks: number; stoppedBy: string }> {
  const { clock, log } = options;
  const controller = new AbortController();
  let stoppedBy = options.maxTicks !== undefined ? `max ticks (${options.maxTicks})` : 'end';
  let forceTimer: NodeJS.Timeout | undefined;
  let handled = false;
  const onSignal = (signal: string) => () => {
    if (handled) return;
    handled = true;
    stoppedBy = signal;
    log.info(`${signal} received: stopping after the current step`);
    controller.abort(new Error(signal));
    const forceExitMs = options.forceExitMs ?? 10000;
    forceTimer = setTimeout(() => {
      log.error(`still running ${forceExitMs} ms after ${signal}: exiting now`);
      (options.forceExit ?? ((code: number) => process.exit(code)))(1);
    }, forceExitMs);
    forceTimer.unref?.();
  };
  const onTerm = onSignal('SIGTERM');
  const onInt = onSignal('SIGINT');
  options.signals?.on('SIGTERM', onTerm);
  options.signals?.on('SIGINT', onInt);
  log.info(`daemon started: a check every ${Math.round(options.intervalMs / 1000)} s`);
  let ticks = 0;
  try {
    while (!controller.signal.aborted) {
      try {
        await options.tick();
      } catch (e) {
        log.error(`tick failed: ${errorMessage(e)}`);
      }
      ticks++;
      if (options.maxTicks !== undefined && ticks >= options.maxTicks) break;
      try {
        await sleep(clock, options.intervalMs, controller.signal);
      } catch {
        break;
      }
    }
  } finally {
    options.signals?.off('SIGTERM', onTerm);
    options.signals?.off('SIGINT', onInt);
    clearTimeout(forceTimer);
  }
  log.info(`daemon stopped (${stoppedBy}) after ${ticks} check${ticks === 1 ? '' : 's'}`);
  return { ticks, stoppedBy };
}
