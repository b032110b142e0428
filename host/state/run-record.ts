/**
 * `sequence.json`: the run record of the sleep sequence in progress (or of the last one). It says which
 * process runs it, which phase it is in, which guests it has stopped (each written, with fsync, before the
 * action) and which it has asked Proxmox to start. After a crash it lets the next `post-wake`, `resume`,
 * `tick` or daemon start tell an interrupted sequence from a finished one, and bring back exactly the guests
 * this sequence stopped. The 1.x tools never read it.
 *
 * `sleep-hook.json`: what the sleep hook unit saw around a suspend this tool started itself (the hook's
 * pre-sleep and post-wake only take note when a live sequence already owns the suspend).
 */
import * as path from 'path';
import { z } from 'zod';
import { readFileCapped, writeFileAtomic } from '../../common/atomic-file';
import { errorMessage } from '../../common/errors';
import type { ProcessIdentity } from './process-identity';
import { RESUMABLE_VALUES, SETTLED_VALUES, type RecordValue } from './sleep-records';
import { ensureStateDir } from './state-dir';

export const RUN_RECORD_FILE = 'sequence.json';
export const HOOK_EVENTS_FILE = 'sleep-hook.json';

export const RUN_COMMANDS = [
  'tick',
  'sleep-now',
  'pre-sleep',
  'hibernate',
  'post-wake',
  'resume',
  'recovery',
] as const;
export type RunCommand = (typeof RUN_COMMANDS)[number];
export type RunPhase = 'pre-sleep' | 'suspend' | 'post-wake' | 'done';

export interface SuspendMark {
  /** Wall-clock ms when `systemctl suspend` was called (or the hook's pre-sleep finished). */
  requestedAt: number;
  /** CLOCK_MONOTONIC ms at that moment: the same for every process of this boot, stops while suspended. */
  monotonicMs: number;
  /** Seconds the kernel had spent suspended since boot at that moment (null when unknown). */
  suspendedTotalS: number | null;
}

export interface RunRecord {
  version: 1;
  runId: string;
  command: RunCommand;
  owner: ProcessIdentity;
  phase: RunPhase;
  startedAt: number;
  updatedAt: number;
  /** Pre-sleep: the resumable record written for each guest before it was acted on (`vm_100` → value). */
  stopped: Record<string, RecordValue>;
  suspend: SuspendMark | null;
  /** Post-wake: the records it brings back, and those whose start it has already sent. */
  resuming: string[];
  started: string[];
  /** How it ended, for `status` and the logs. */
  outcome: string | null;
  finishedAt: number | null;
}

const value = z.enum([...RESUMABLE_VALUES, ...SETTLED_VALUES]);
const identity = z.object({
  pid: z.number().int(),
  start: z.string().nullable(),
  bootId: z.string().nullable(),
});
const RunSchema = z.object({
  version: z.literal(1),
  runId: z.string().max(64),
  command: z.enum(RUN_COMMANDS),
  owner: identity,
  phase: z.enum(['pre-sleep', 'suspend', 'post-wake', 'done']),
  startedAt: z.number(),
  updatedAt: z.number(),
  stopped: z.record(z.string().regex(/^(vm|ct)_[0-9]+$/), value),
  suspend: z
    .object({ requestedAt: z.number(), monotonicMs: z.number(), suspendedTotalS: z.number().nullable() })
    .nullable(),
  resuming: z.array(z.string()),
  started: z.array(z.string()),
  outcome: z.string().nullable(),
  finishedAt: z.number().nullable(),
});

export interface HookEvent {
  at: number;
  pid: number;
  /** The run this event was attributed to (the live sequence that owned the suspend), if any. */
  runId: string | null;
}
export interface HookEvents {
  pre: HookEvent | null;
  post: HookEvent | null;
}
const HookEventSchema = z
  .object({ at: z.number(), pid: z.number(), runId: z.string().nullable() })
  .nullable();
const HookSchema = z.object({ pre: HookEventSchema, post: HookEventSchema });

export type LoadedRun = { record: RunRecord | null; problem: string | null };

export interface RunRecordStore {
  load(): Promise<LoadedRun>;
  save(record: RunRecord): Promise<void>;
  loadHookEvents(): Promise<HookEvents>;
  saveHookEvents(events: HookEvents): Promise<void>;
}

async function readJson(file: string): Promise<unknown> {
  return JSON.parse((await readFileCapped(file, 1024 * 1024)).toString('utf8'));
}

export function createRunRecordStore(dir: string): RunRecordStore {
  const runFile = path.join(dir, RUN_RECORD_FILE);
  const hookFile = path.join(dir, HOOK_EVENTS_FILE);
  return {
    async load() {
      try {
        const parsed = RunSchema.safeParse(await readJson(runFile));
        if (parsed.success) return { record: parsed.data, problem: null };
        return { record: null, problem: `${runFile} has an unexpected shape; it is ignored` };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { record: null, problem: null };
        return { record: null, problem: `${runFile} cannot be read (${errorMessage(e)}); it is ignored` };
      }
    },
    async save(record) {
      await ensureStateDir(dir);
      await writeFileAtomic(runFile, `${JSON.stringify(record, null, 1)}\n`, 0o644);
    },
    async loadHookEvents() {
      try {
        const parsed = HookSchema.safeParse(await readJson(hookFile));
        if (parsed.success) return parsed.data;
      } catch {
        // missing or unreadable: nothing seen
      }
      return { pre: null, post: null };
    },
    async saveHookEvents(events) {
      await ensureStateDir(dir);
      await writeFileAtomic(hookFile, `${JSON.stringify(events)}\n`, 0o644);
    },
  };
}
