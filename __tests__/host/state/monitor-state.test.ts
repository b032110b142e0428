/** The state directory: atomic JSON timers, the previous release's wake stamp, refusing unsafe directories. */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'fs';
import * as os from 'os';
import * as path from 'path';
import { emptyState } from '../../../host/policy';
import { createMonitorStateStore, ensureStateDir, MONITOR_FILE, WAKE_FILE } from '../../../host/state';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'state-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const T = Date.UTC(2026, 10, 26, 3, 0, 0);

test('no directory yet: empty state, no problems, nothing created by reading', async () => {
  const dir = path.join(root, 'run');
  const loaded = await createMonitorStateStore(dir).load();
  expect(loaded).toEqual({ state: emptyState(), guestOs: {}, problems: [] });
  expect(existsSync(dir)).toBe(false);
});

test('save then load round-trips timers, seq tracking and the OS cache; the wake stamp is epoch seconds', async () => {
  const dir = path.join(root, 'run');
  const store = createMonitorStateStore(dir);
  const state = {
    ...emptyState(),
    hostIdleSince: T - 60_000,
    lastWake: T - 3_600_000,
    lastTickAt: T,
    guests: {
      'vm:100': {
        idleSince: T - 1000,
        lastActiveAt: null,
        lastSeq: 5,
        seqSince: T,
        agentFirstSeenAt: T - 5000,
      },
    },
  };
  await store.save(state, { 'vm:100': 'windows' }, null);
  expect(readFileSync(path.join(dir, WAKE_FILE), 'utf8')).toBe(`${(T - 3_600_000) / 1000}\n`);
  const loaded = await store.load();
  expect(loaded.state).toEqual(state);
  expect(loaded.guestOs).toEqual({ 'vm:100': 'windows' });
  expect((await import('fs')).statSync(dir).mode & 0o777).toBe(0o755);
});

test.each([
  ['not JSON', '{"version":1,'],
  ['wrong shape', '{"version":1,"hostIdleSince":"yesterday"}'],
  ['negative times', '{"version":1,"hostIdleSince":-5,"resetAt":null,"lastTickAt":null,"guests":{}}'],
])('a corrupt monitor.json (%s) is reported and marks the state corrupt', async (_why, text) => {
  const dir = path.join(root, 'run');
  mkdirSync(dir, { mode: 0o755 });
  writeFileSync(path.join(dir, MONITOR_FILE), text);
  const loaded = await createMonitorStateStore(dir).load();
  expect(loaded.state.corrupt).toMatch(/monitor.json is corrupt/);
  expect(loaded.problems).toHaveLength(1);
});

test('a corrupt wake file is reported, read as unknown, and repaired with now', async () => {
  const dir = path.join(root, 'run');
  mkdirSync(dir, { mode: 0o755 });
  writeFileSync(path.join(dir, WAKE_FILE), 'garbage\n');
  const store = createMonitorStateStore(dir);
  const loaded = await store.load();
  expect(loaded.state.lastWake).toBeNull();
  expect(loaded.problems[0]).toMatch(/idle-monitor.wake is corrupt/);
  await store.repairWake(T);
  expect((await store.load()).state.lastWake).toBe(T);
});

test('reset restarts every streak from now; post-wake stamps the wake and clears streaks', async () => {
  const dir = path.join(root, 'run');
  const store = createMonitorStateStore(dir);
  await store.save(
    {
      ...emptyState(),
      hostIdleSince: T - 60_000,
      guests: {
        'vm:100': { idleSince: T - 1000, lastActiveAt: null, lastSeq: 5, seqSince: T, agentFirstSeenAt: T },
      },
    },
    {},
    null,
  );
  writeFileSync(path.join(dir, 'idle-monitor.state'), '1700000000\n');
  await store.reset(T);
  let loaded = await store.load();
  expect(loaded.state).toMatchObject({ hostIdleSince: null, resetAt: T });
  expect(loaded.state.guests['vm:100']).toMatchObject({ idleSince: null, lastSeq: 5 });
  expect(existsSync(path.join(dir, 'idle-monitor.state'))).toBe(false);
  await store.stampWake(T + 1000);
  loaded = await store.load();
  expect(loaded.state.lastWake).toBe(T + 1000);
});

test('the state directory is never a symlink, never writable by others', async () => {
  const real = path.join(root, 'real');
  mkdirSync(real, { mode: 0o755 });
  const link = path.join(root, 'link');
  symlinkSync(real, link);
  await expect(ensureStateDir(link)).rejects.toThrow(/symlink/);
  const store = createMonitorStateStore(link);
  await expect(store.save(emptyState(), {}, null)).rejects.toThrow(/symlink/);
  expect((await store.load()).state.corrupt).toMatch(/symlink/);
  const open = path.join(root, 'open');
  mkdirSync(open);
  chmodSync(open, 0o777);
  await expect(ensureStateDir(open)).rejects.toThrow(/writable by other users/);
});
