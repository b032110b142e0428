/**
 * The sleep sequence `tick` runs when sleep is due: warn the guests (PRE_SLEEP_WARNING_SECONDS), check
 * again, then pre-sleep, `systemctl suspend`, post-wake. A guest that became active or blocked during the
 * warning cancels the sleep; the timers it reset restart the countdown. A sleep that was called off or did
 * not happen restarts the countdown too, so the next attempt comes after a full idle period, not a minute.
 */
import { sleep } from '../../common/clock';
import { createRunRecordStore, createSleepRecordStore } from '../state';
import { memoryOsCache } from '../transport';
import type { SequenceContext } from './context';
import { createEngine } from './engine';
import type { SequenceDeps, SleepSequence } from './entry';
import { silentProgress } from './progress';
import { describeRecovery } from './report';
import { linuxSystem } from './system';
import { sendWarnings } from './warning';

export function sequenceContext(deps: SequenceDeps): SequenceContext {
  return {
    config: deps.config,
    log: deps.log,
    proxmox: deps.proxmox,
    agent: deps.agent,
    run: deps.run,
    clock: deps.clock,
    store: deps.store,
    records: createSleepRecordStore(deps.config.stateDir),
    runs: createRunRecordStore(deps.config.stateDir),
    system: deps.system ?? linuxSystem(),
    progress: deps.progress ?? silentProgress(),
    osCache: deps.osCache ?? memoryOsCache(),
  };
}

export function createSleepSequence(deps: SequenceDeps): SleepSequence {
  const ctx = sequenceContext(deps);
  const engine = createEngine(ctx);
  const { clock, log, config } = ctx;
  return {
    name: 'sleep',
    async recover() {
      const result = await engine.recover();
      return result ? describeRecovery(result) : null;
    },
    async run(request) {
      if (request.dryRun) return { slept: false, detail: 'dry run: the sleep sequence was not started' };
      const seconds = config.global.preSleepWarningSeconds;
      if (seconds > 0) {
        const until = clock.now() + seconds * 1000;
        const running = new Set<string>();
        try {
          for (const g of await ctx.proxmox.listGuests())
            if (g.power === 'running') running.add(`${g.kind}:${g.id}`);
        } catch {
          // nobody to warn we know of; the sleep goes on
        }
        const { told, missed } = await sendWarnings(ctx, seconds, running);
        log.event('info', {
          kind: 'sleep',
          phase: `warning: sleep in ${seconds} s`,
          detail: `told ${told.length ? told.join(', ') : 'nobody'}${missed.length ? `; could not tell ${missed.join(', ')}` : ''}`,
        });
        const done = ctx.progress.wait('host', 'the pre-sleep warning', until);
        await sleep(clock, Math.max(0, until - clock.now()));
        done();
        if (request.recheck) {
          const again = await request.recheck();
          if (!again.sleepDue) {
            const detail = `sleep cancelled after the warning: ${again.reasons.join('; ') || 'no longer due'}`;
            log.event('info', { kind: 'sleep', phase: 'cancelled', detail });
            return { slept: false, detail };
          }
        }
      }
      const result = await engine.sleepCycle('tick');
      if (result.kind === 'busy') return { slept: false, detail: result.detail };
      if (!result.slept) await ctx.store.reset(clock.now());
      return { slept: result.slept, detail: result.detail };
    },
  };
}
