/**
 * The agent: a config, a list of checks and a few injected edges (clock, logger, block store, status
 * writer, notifier, power actions) make one. The headless daemon and the Electron tray build it the same
 * way; the tray passes its own checks (input idle from powerMonitor …) and listens with `onStatus`.
 *
 * One evaluation: run every check (parallel, per-check timeout) and ask the wake sources → policy → block →
 * idle accounting → status document → write + notify listeners. Evaluations never overlap, and one never throws: a write
 * failure is logged and the next evaluation tries again.
 */
import { sleep, type Clock } from '../../common/clock';
import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { Reply } from '../../protocol/commands';
import type { AgentInfo, Status } from '../../protocol/status';
import { applyBlock } from './apply-block';
import { blockState, type BlockRequest, type BlockSetting } from './block';
import type { BlockStore } from './block-store';
import { createCheckRunner } from '../../common/check';
import type { AgentCheck } from './agent-check';
import { runPowerAction, type PowerAction, type PowerActions } from './commands';
import { advanceIdle, freshAccount, type IdleAccount } from './idle-accounting';
import { decide, type Decision, type UnknownPolicy } from './policy';
import { buildStatus, type Evaluation } from './status-builder';
import type { StatusWriter } from './status-writer';
import type { WakePlanner } from './wake/planner';
import type { WakeRequest } from './wake/wake-request';

export interface AgentOptions {
  info: AgentInfo;
  intervalSeconds: number;
  checkTimeoutMs: number;
  unknownIs: UnknownPolicy;
  checks: readonly AgentCheck[];
  clock: Clock;
  logger: Logger;
  blockStore: BlockStore;
  /** Where the status document goes; null for a caller that only wants `onStatus`. */
  writer: StatusWriter | null;
  /** seq of the last document written (the next one is +1). */
  initialSeq?: number;
  /** Idle streak carried over from a previous agent (see accountFromPrevious). */
  initialAccount?: IdleAccount;
  powerActions?: PowerActions;
  /** Where the guest's next wake request comes from (wake timers, `wake-at`); none when absent. */
  wake?: WakePlanner;
}

export interface LeftOut {
  name: string;
  detail: string;
}

export interface RunOptions {
  /** Stop after this many evaluations (tests, benchmarks); unbounded when absent. */
  maxTicks?: number;
  signal?: AbortSignal;
}

export interface Agent {
  /** The last document produced, or null before the first. */
  readonly status: Status | null;
  /** Checks the last evaluation left out because their probe does not exist here, and why. */
  readonly unavailable: readonly LeftOut[];
  onStatus(listener: (status: Status) => void): () => void;
  /** Publishes the `starting` document (before the first full evaluation). */
  start(): Promise<Status>;
  /** One full evaluation. */
  evaluate(): Promise<Status>;
  /** Re-reads the block and republishes the last decision with it (after the block file changed). */
  refreshBlock(): Promise<Status | null>;
  /** The wake request the last document carries (its source included), or null. */
  readonly wake: WakeRequest | null;
  /** Asks the wake sources again and republishes the last decision with the answer (after `wake-at`). */
  refreshWake(): Promise<Status | null>;
  setBlock(request: BlockRequest, source: string): Promise<Reply>;
  /** Answers through `reply` first, then hibernates / shuts down. Returns an exit code. */
  power(action: PowerAction, reply: (reply: Reply) => Promise<void>): Promise<number>;
  /** The daemon loop: `starting`, then an evaluation every intervalSeconds until aborted or maxTicks. */
  run(options?: RunOptions): Promise<number>;
  close(): Promise<void>;
}

/**
 * The longest pause between two evaluations that still counts as continuous observation: two intervals
 * plus one check timeout and some slack. Longer gaps are left out of idle_seconds.
 */
export function maxObservationGapMs(intervalSeconds: number, checkTimeoutMs: number): number {
  return 2 * intervalSeconds * 1000 + checkTimeoutMs + 2000;
}

export function createAgent(options: AgentOptions): Agent {
  const { clock, logger } = options;
  const intervalMs = options.intervalSeconds * 1000;
  const maxGapMs = maxObservationGapMs(options.intervalSeconds, options.checkTimeoutMs);
  const runner = createCheckRunner({
    clock,
    timeoutMs: options.checkTimeoutMs,
    logger: logger.child('check'),
  });
  const listeners = new Set<(status: Status) => void>();
  let seq = options.initialSeq ?? 0;
  let account = options.initialAccount ?? freshAccount();
  let current: Status | null = null;
  let leftOut: LeftOut[] = [];
  let lastDecision: Decision | null = null;
  let lastWriteError: string | null = null;
  let wake: WakeRequest | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  /** Evaluations, block refreshes and writes run one at a time, in order. */
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  const readBlock = async (): Promise<BlockSetting | null> => {
    try {
      return await options.blockStore.read();
    } catch (e) {
      logger.warn(`cannot read the block override: ${errorMessage(e)}`);
      return null;
    }
  };

  const publish = async (
    evaluation: Evaluation,
    block: BlockSetting | null,
    now: number,
  ): Promise<Status> => {
    const state = blockState(block, now);
    if (evaluation.kind === 'evaluated') {
      const step = advanceIdle(account, !evaluation.decision.active && !state.active, now, maxGapMs);
      account = step.account;
      evaluation = { ...evaluation, idleSeconds: step.idleSeconds };
    }
    seq += 1;
    const status = buildStatus({
      agent: options.info,
      seq,
      now,
      intervalSeconds: options.intervalSeconds,
      evaluation,
      block: state,
      nextWakeAt: wake?.at ?? null,
    });
    current = status;
    if (options.writer) {
      try {
        await options.writer.write(status);
        if (lastWriteError !== null) logger.info(`status file ${options.writer.file} is written again`);
        lastWriteError = null;
      } catch (e) {
        const message = errorMessage(e);
        if (message !== lastWriteError)
          logger.error(`cannot write the status file ${options.writer.file}: ${message}`);
        lastWriteError = message;
      }
    }
    for (const listener of listeners) {
      try {
        listener(status);
      } catch (e) {
        logger.warn(`a status listener failed: ${errorMessage(e)}`);
      }
    }
    return status;
  };

  const readWake = async (now: number) => (options.wake ? options.wake.next(now) : null);

  /** The last decision again, with the block as it is now (before the first evaluation: `starting`). */
  const republish = async (): Promise<Status | null> => {
    const block = await readBlock();
    const now = clock.now();
    if (lastDecision === null) return current === null ? null : publish({ kind: 'starting' }, block, now);
    return publish({ kind: 'evaluated', decision: lastDecision, idleSeconds: 0 }, block, now);
  };

  const evaluateNow = async (): Promise<Status> => {
    const started = clock.now();
    const asked = readWake(started); // alongside the checks; the planner never throws
    const reports = await runner.run(options.checks, { now: started });
    leftOut = reports.filter((r) => r.state === 'unavailable').map(({ name, detail }) => ({ name, detail }));
    const decision = decide(reports, options.unknownIs);
    lastDecision = decision;
    wake = await asked;
    const block = await readBlock();
    const now = clock.now();
    const status = await publish({ kind: 'evaluated', decision, idleSeconds: 0 }, block, now);
    logger.debug(() =>
      status.idle ? `idle for ${status.idle_seconds}s` : `active: ${status.reasons.join(', ')}`,
    );
    return status;
  };

  const agent: Agent = {
    get status() {
      return current;
    },
    get unavailable() {
      return leftOut;
    },
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get wake() {
      return wake;
    },
    start: () => serial(async () => publish({ kind: 'starting' }, await readBlock(), clock.now())),
    evaluate: () => serial(evaluateNow),
    refreshBlock: () => serial(republish),
    refreshWake: () =>
      serial(async () => {
        wake = await readWake(clock.now());
        return republish();
      }),
    async setBlock(request, source) {
      const outcome = await applyBlock(options.blockStore, request, clock.now(), source, logger);
      if (outcome.failed === null) await agent.refreshBlock();
      return outcome.reply;
    },
    async power(action, reply) {
      if (!options.powerActions) {
        await reply({ success: false, message: `this agent cannot ${action}` });
        return 1;
      }
      return runPowerAction(action, { actions: options.powerActions, reply, logger });
    },
    async run({ maxTicks, signal } = {}) {
      await agent.start();
      let ticks = 0;
      while (!signal?.aborted) {
        const started = clock.now();
        await agent.evaluate();
        ticks += 1;
        if (maxTicks !== undefined && ticks >= maxTicks) break;
        try {
          await sleep(clock, intervalMs - (clock.now() - started), signal);
        } catch {
          break; // aborted
        }
      }
      return ticks;
    },
    async close() {
      await queue;
      await options.wake?.close();
      for (const check of options.checks) {
        try {
          await check.close?.();
        } catch (e) {
          logger.warn(`closing check ${check.name}: ${errorMessage(e)}`);
        }
      }
    },
  };
  return agent;
}
