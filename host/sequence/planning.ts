/** What the plans are made from: live power states, the records on disk, the configuration. */
import { mapLimit } from '../../common/map-limit';
import { recordKey, type RecordValue } from '../state';
import type { SequenceContext } from './context';
import {
  planPostWake,
  planPreSleep,
  recordsAfter,
  type Power,
  type PostWakePlan,
  type PreSleepPlan,
} from './plan';
import { readPower } from './power-watch';

export async function loadRecords(ctx: SequenceContext): Promise<Map<string, RecordValue>> {
  const parsed = await ctx.records.load();
  for (const p of parsed.problems) ctx.log.warn(p);
  return parsed.records;
}

/**
 * Each guest's power state read live (`…/status/current`), not from the cluster listing: pvestatd
 * refreshes that every 10 s, and a guest the user started or stopped a moment ago must not be recorded
 * wrongly (it would be left running through the sleep, or started after it without having been stopped).
 */
async function readPowers(ctx: SequenceContext): Promise<Map<string, Power>> {
  const power = new Map<string, Power>();
  await mapLimit(ctx.config.guests, 4, async (g) => {
    power.set(recordKey(g.kind, g.id), await readPower(ctx.proxmox, { kind: g.kind, id: g.id }));
  });
  return power;
}

export async function preSleepPlan(ctx: SequenceContext): Promise<PreSleepPlan> {
  return planPreSleep({
    guests: ctx.config.guests,
    sleepParallelism: ctx.config.global.sleepParallelism,
    power: await readPowers(ctx),
    records: await loadRecords(ctx),
  });
}

/** `scope`: every recorded guest, or only these record keys; `wakeDelay`: wait WAKE_DELAY first. */
export async function postWakePlan(
  ctx: SequenceContext,
  scope: 'all' | ReadonlySet<string>,
  wakeDelay: boolean,
): Promise<PostWakePlan> {
  return planPostWake({
    guests: ctx.config.guests,
    records: await loadRecords(ctx),
    scope,
    wakeDelayS: wakeDelay ? ctx.config.global.wakeDelay : 0,
    sleepParallelism: ctx.config.global.sleepParallelism,
  });
}

/** `sleep-now --dry-run`: the pre-sleep plan, and the post-wake that would follow it. */
export async function sleepNowPlan(
  ctx: SequenceContext,
): Promise<{ preSleep: PreSleepPlan; postWake: PostWakePlan }> {
  const preSleep = await preSleepPlan(ctx);
  const postWake = planPostWake({
    guests: ctx.config.guests,
    records: recordsAfter(preSleep),
    scope: 'all',
    wakeDelayS: ctx.config.global.wakeDelay,
    sleepParallelism: ctx.config.global.sleepParallelism,
  });
  return { preSleep, postWake };
}
