/**
 * The monitor's files in the state directory:
 *   monitor.json        idle timers, agent seq tracking, cached guest OS (JSON, written atomically)
 *   idle-monitor.wake   epoch seconds of the last wake (the previous release's file and format)
 * A file that cannot be used is reported (never thrown): the policy then restarts the timers.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { readFileCapped, writeFileAtomic } from '../../common/atomic-file';
import { errorMessage } from '../../common/errors';
import { emptyState, type PolicyState, type PreviousState } from '../policy';
import { checkStateDir, ensureStateDir } from './state-dir';

export const MONITOR_FILE = 'monitor.json';
export const WAKE_FILE = 'idle-monitor.wake';
/** The previous release's single idle-start stamp; removed by `reset` and post-wake. */
export const LEGACY_IDLE_FILE = 'idle-monitor.state';

export type { GuestOs } from '../guest/types';
import type { GuestOs } from '../guest/types';

const ms = z.number().int().nonnegative().nullable();
const MemorySchema = z.object({
  idleSince: ms,
  lastActiveAt: ms,
  lastSeq: z.number().int().nonnegative().nullable(),
  seqSince: ms,
  agentFirstSeenAt: ms,
});
const FileSchema = z.object({
  version: z.literal(1),
  hostIdleSince: ms,
  resetAt: ms,
  lastTickAt: ms,
  guests: z.record(z.string().regex(/^(vm|ct):[0-9]+$/), MemorySchema),
  guestOs: z.record(z.string(), z.enum(['windows', 'linux', 'macos'])).default({}),
});

export interface LoadedMonitorState {
  state: PreviousState;
  guestOs: Record<string, GuestOs>;
  /** Problems met while reading (each also makes the policy restart what it concerns). */
  problems: string[];
}

export interface MonitorStateStore {
  readonly dir: string;
  load(): Promise<LoadedMonitorState>;
  /** Writes timers and the OS cache; rewrites the wake stamp only when it changed. */
  save(state: PolicyState, guestOs: Record<string, GuestOs>, previousWake: number | null): Promise<void>;
  /** `reset`: idle streaks count from `now`. */
  reset(now: number): Promise<void>;
  /** Post-wake: stamp the wake time and clear every idle streak. */
  stampWake(now: number): Promise<void>;
  /** A corrupt wake file is rewritten with `now` (the previous release's repair). */
  repairWake(now: number): Promise<void>;
}

export function createMonitorStateStore(dir: string): MonitorStateStore {
  const file = (name: string) => path.join(dir, name);

  const readWake = async (problems: string[]): Promise<number | null> => {
    let text: string;
    try {
      text = (await readFileCapped(file(WAKE_FILE), 64)).toString('utf8').trim();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      problems.push(`${file(WAKE_FILE)} cannot be read (${errorMessage(e)}); the last wake is unknown`);
      return null;
    }
    if (!/^[0-9]{1,12}$/.test(text)) {
      problems.push(`${file(WAKE_FILE)} is corrupt (not epoch seconds); it will be rewritten`);
      return null;
    }
    return Number(text) * 1000;
  };

  const load = async (): Promise<LoadedMonitorState> => {
    const problems: string[] = [];
    try {
      await checkStateDir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        return { state: emptyState(), guestOs: {}, problems };
      return {
        state: { ...emptyState(), corrupt: errorMessage(e) },
        guestOs: {},
        problems: [errorMessage(e)],
      };
    }
    const lastWake = await readWake(problems);
    let raw: Buffer;
    try {
      raw = await readFileCapped(file(MONITOR_FILE), 4 * 1024 * 1024);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        return { state: { ...emptyState(), lastWake }, guestOs: {}, problems };
      const why = `${file(MONITOR_FILE)} cannot be read (${errorMessage(e)})`;
      problems.push(why);
      return { state: { ...emptyState(), lastWake, corrupt: why }, guestOs: {}, problems };
    }
    let parsed: z.infer<typeof FileSchema>;
    try {
      parsed = FileSchema.parse(JSON.parse(raw.toString('utf8')));
    } catch (e) {
      const why = `${file(MONITOR_FILE)} is corrupt (${e instanceof SyntaxError ? 'not JSON' : 'wrong shape'})`;
      problems.push(why);
      return { state: { ...emptyState(), lastWake, corrupt: why }, guestOs: {}, problems };
    }
    return {
      state: {
        hostIdleSince: parsed.hostIdleSince,
        lastWake,
        resetAt: parsed.resetAt,
        lastTickAt: parsed.lastTickAt,
        guests: parsed.guests,
      },
      guestOs: parsed.guestOs,
      problems,
    };
  };

  const write = async (state: PolicyState, guestOs: Record<string, GuestOs>) => {
    const doc = {
      version: 1,
      hostIdleSince: state.hostIdleSince,
      resetAt: state.resetAt,
      lastTickAt: state.lastTickAt,
      guests: state.guests,
      guestOs,
    };
    await writeFileAtomic(file(MONITOR_FILE), `${JSON.stringify(doc, null, 1)}\n`, 0o644);
  };
  const writeWake = (at: number) => writeFileAtomic(file(WAKE_FILE), `${Math.floor(at / 1000)}\n`, 0o644);

  return {
    dir,
    load,
    async save(state, guestOs, previousWake) {
      await ensureStateDir(dir);
      await write(state, guestOs);
      if (state.lastWake !== null && state.lastWake !== previousWake) await writeWake(state.lastWake);
    },
    async reset(now) {
      await ensureStateDir(dir);
      const loaded = await load();
      const guests = Object.fromEntries(
        Object.entries(loaded.state.corrupt ? {} : loaded.state.guests).map(([k, g]) => [
          k,
          { ...g, idleSince: null },
        ]),
      );
      await write(
        { ...loaded.state, hostIdleSince: null, resetAt: now, guests, lastWake: loaded.state.lastWake },
        loaded.guestOs,
      );
      await fs.rm(file(LEGACY_IDLE_FILE), { force: true });
    },
    async repairWake(now) {
      await ensureStateDir(dir);
      await writeWake(now);
    },
    async stampWake(now) {
      await ensureStateDir(dir);
      const loaded = await load();
      const guests = Object.fromEntries(
        Object.entries(loaded.state.corrupt ? {} : loaded.state.guests).map(([k, g]) => [
          k,
          { ...g, idleSince: null },
        ]),
      );
      await write({ ...loaded.state, hostIdleSince: null, guests, lastWake: now }, loaded.guestOs);
      await writeWake(now);
      await fs.rm(file(LEGACY_IDLE_FILE), { force: true });
    },
  };
}
