/**
 * One evaluation: the remembered state, one observation cycle, the policy's decision. It never writes
 * anything, so `check` and `status` can use it freely; `tick` (tick.ts) builds on it.
 */
import type { Clock } from '../../common/clock';
import type { HostConfig } from '../config';
import { decide, type Decision, type Observations } from '../policy';
import type { SleepSequence } from '../sequence';
import type { LoadedMonitorState, MonitorStateStore } from '../state';
import type { memoryOsCache } from '../guest';
import { observe, type ObservationTimings, type ObserveDeps } from './observe';
import { policyConfigFrom } from './policy-input';

export interface MonitorDeps extends ObserveDeps {
  clock: Clock;
  store: MonitorStateStore;
  osCache: ReturnType<typeof memoryOsCache>;
  sequence: SleepSequence;
}

export interface Evaluation {
  decision: Decision;
  observations: Observations;
  timings: ObservationTimings;
  loaded: LoadedMonitorState;
  now: number;
}

export async function evaluate(config: HostConfig, deps: MonitorDeps): Promise<Evaluation> {
  const loaded = await deps.store.load();
  for (const [key, os] of Object.entries(loaded.guestOs))
    if (!deps.osCache.get(key)) deps.osCache.set(key, os);
  const { observations, timings } = await observe(config, deps);
  const now = deps.clock.now();
  const decision = decide(observations, policyConfigFrom(config), now, loaded.state);
  return { decision, observations, timings, loaded, now };
}
