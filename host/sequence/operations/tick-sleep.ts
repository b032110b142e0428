/**
 * The sleep sequence `tick` runs when sleep is due: warn the guests (PRE_SLEEP_WARNING_SECONDS), check
 * again, then the sleep cycle. A guest that became active or blocked during the warning cancels the sleep;
 * the timers it reset restart the countdown. A sleep that was called off or did not happen restarts the
 * countdown too, so the next attempt comes after a full idle period, not a minute.
 */
import { sleep } from '../../../common/clock';
import type { Verdict } from '../../policy';
import type { SequenceContext } from '../context';
import { describeRecovery } from '../phases';
import { sendWarnings } from '../warning';
import { recover } from './recover';
import { sleepCycle } from './sleep-cycle';

export interface SleepRequest {
  verdict: Verdict;
  /** Host time (ms) at which the verdict was reached. */
  now: number;
  dryRun: boolean;
  /** Evaluates again (after the pre-sleep warning) and saves the timers: is sleep still due? */
  recheck?: () => Promise<{ sleepDue: boolean; reasons: string[] }>;
}

export interface SleepOutcome {
  /** True only when the host actually suspended (and has woken since). */
  slept: boolean;
  detail: string;
}

/** What `tick` hands over to once sleep is due. */
export interface SleepSequence {
  readonly name: string;
  run(request: SleepRequest): Promise<SleepOutcome>;
  /** Before each tick: finishes a sequence that was interrupted; says what it did, or null. */
  recover?(): Promise<string | null>;
}

export function tickSleep(ctx: SequenceContext): SleepSequence {
  return {
    name: 'sleep',
    async recover() {
      const result = await recover(ctx);
      return result ? describeRecovery(result) : null;
    },
    async run(request) {
      if (request.dryRun) return { slept: false, detail: 'dry run: the sleep sequence was not started' };
      const cancelled = await warnAndRecheck(ctx, request);
      if (cancelled) return { slept: false, detail: cancelled };
      const result = await sleepCycle(ctx, 'tick');
      if (result.kind === 'busy') return { slept: false, detail: result.detail };
      if (!result.slept) await ctx.store.reset(ctx.clock.now());
      return { slept: result.slept, detail: result.detail };
    },
  };
}

/** Warns the running guests' agents, waits, and evaluates again; says why the sleep is off, or null. */
async function warnAndRecheck(ctx: SequenceContext, request: SleepRequest): Promise<string | null> {
  const { clock, log } = ctx;
  const seconds = ctx.config.global.preSleepWarningSeconds;
  if (seconds <= 0) return null;
  const until = clock.now() + seconds * 1000;
  const { told, missed } = await sendWarnings(ctx, seconds, await runningGuests(ctx));
  log.event('info', {
    kind: 'sleep',
    phase: `warning: sleep in ${seconds} s`,
    detail: `told ${told.length ? told.join(', ') : 'nobody'}${missed.length ? `; could not tell ${missed.join(', ')}` : ''}`,
  });
  const done = ctx.progress.wait('host', 'the pre-sleep warning', until);
  await sleep(clock, Math.max(0, until - clock.now()));
  done();
  if (!request.recheck) return null;
  const again = await request.recheck();
  if (again.sleepDue) return null;
  const detail = `sleep cancelled after the warning: ${again.reasons.join('; ') || 'no longer due'}`;
  log.event('info', { kind: 'sleep', phase: 'cancelled', detail });
  return detail;
}

async function runningGuests(ctx: SequenceContext): Promise<Set<string>> {
  const running = new Set<string>();
  try {
    for (const g of await ctx.proxmox.listGuests())
      if (g.power === 'running') running.add(`${g.kind}:${g.id}`);
  } catch {
    // nobody to warn we know of; the sleep goes on
  }
  return running;
}
