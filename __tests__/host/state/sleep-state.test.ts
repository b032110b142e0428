/**
 * The sequence's files in the state directory: the 1.x record file (byte-compatible, atomic upserts),
 * the run record, and the sequence lock with stale-lock detection by PID and start time.
 */
import { spawn, spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  createRunRecordStore,
  createSleepRecordStore,
  currentProcess,
  isRunning,
  lockHolder,
  parseSleepRecords,
  tryAcquireLock,
  type RunRecord,
} from '../../../host/state';

let dir: string;
beforeEach(() => (dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'sleep-state-')), 'state')));
afterEach(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

/** A process that has exited, with its PID. */
function deadPid(): number {
  const r = spawnSync('/bin/sh', ['-c', 'echo $$']);
  return Number(r.stdout.toString().trim());
}

describe('sleep-manager.state (1.x records)', () => {
  test('parses what the 1.x bash release writes: duplicates keep the last value, unknown lines are reported', () => {
    const parsed = parseSleepRecords(
      'vm_100=hibernated\nct_200=shutdown\n\nvm_100=was_shutdown\nvm_1=sleeping\nbogus\n',
      'x',
    );
    expect([...parsed.records]).toEqual([
      ['ct_200', 'shutdown'],
      ['vm_100', 'was_shutdown'],
    ]);
    expect(parsed.problems).toEqual([
      'x:5: unknown record "vm_1=sleeping" (ignored)',
      'x:6: unknown record "bogus" (ignored)',
    ]);
  });

  test('upserts rewrite the whole file in 1.x format; removing the last record removes the file', async () => {
    const store = createSleepRecordStore(dir);
    await store.load();
    await store.set('vm_100', 'hibernated');
    await store.set('ct_200', 'not_running');
    await store.set('vm_100', 'shutdown');
    const file = path.join(dir, 'sleep-manager.state');
    expect(readFileSync(file, 'utf8')).toBe('ct_200=not_running\nvm_100=shutdown\n');
    // The 1.x reader and writer understand it: its own upsert (delete the line, append) then our parse.
    spawnSync('bash', ['-c', `sed -i '/^ct_200=/d' "$0" && echo ct_200=was_shutdown >> "$0"`, file]);
    const reloaded = await createSleepRecordStore(dir).load();
    expect(Object.fromEntries(reloaded.records)).toEqual({ vm_100: 'shutdown', ct_200: 'was_shutdown' });
    await store.load();
    await store.set('vm_100', null);
    await store.set('ct_200', null);
    expect(existsSync(file)).toBe(false);
  });

  test('parallel upserts from one process are serialised: none is lost', async () => {
    const store = createSleepRecordStore(dir);
    await store.load();
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`vm_${100 + i}`, 'hibernated')));
    expect((await createSleepRecordStore(dir).load()).records.size).toBe(20);
  });
});

describe('sequence.json (run record)', () => {
  test('round trip; a corrupt file is reported and ignored', async () => {
    const store = createRunRecordStore(dir);
    expect(await store.load()).toEqual({ record: null, problem: null });
    const record: RunRecord = {
      version: 1,
      runId: 'abc',
      command: 'hibernate',
      owner: await currentProcess(),
      phase: 'pre-sleep',
      startedAt: 1,
      updatedAt: 2,
      stopped: { vm_100: 'hibernated' },
      suspend: null,
      resuming: [],
      started: [],
      outcome: null,
      finishedAt: null,
    };
    await store.save(record);
    expect((await store.load()).record).toEqual(record);
    writeFileSync(path.join(dir, 'sequence.json'), '{"version": 1, "runId": 3}');
    expect(await store.load()).toEqual({ record: null, problem: expect.stringMatching(/unexpected shape/) });
  });
});

describe('process identity', () => {
  test('this process runs; an exited PID or a different start time does not', async () => {
    const me = await currentProcess();
    expect(me.start).toMatch(/^[0-9]+$/);
    expect(await isRunning(me)).toBe(true);
    expect(await isRunning({ ...me, start: '1' })).toBe(false);
    expect(await isRunning({ ...me, pid: deadPid() })).toBe(false);
    expect(await isRunning({ ...me, bootId: 'another-boot' })).toBe(false);
  });
});

describe('sequence.lock', () => {
  test('one holder at a time; released only by its holder', async () => {
    const first = await tryAcquireLock(dir, 'tick', 1);
    if (!('acquired' in first)) throw new Error('not acquired');
    const second = await tryAcquireLock(dir, 'post-wake', 2);
    expect(second).toEqual({ heldBy: expect.objectContaining({ pid: process.pid, command: 'tick' }) });
    expect(await lockHolder(dir)).toMatchObject({ command: 'tick' });
    await first.acquired.release();
    expect(await lockHolder(dir)).toBeNull();
    const third = await tryAcquireLock(dir, 'resume', 3);
    expect('acquired' in third).toBe(true);
  });

  test('a lock whose holder died is stale and taken over; so is an unreadable lock nobody touched for 10 s', async () => {
    const me = await currentProcess();
    const { mkdirSync } = await import('fs');
    mkdirSync(dir, { mode: 0o755 });
    const file = path.join(dir, 'sequence.lock');
    writeFileSync(file, JSON.stringify({ ...me, pid: deadPid(), command: 'tick', since: 0 }));
    expect(await lockHolder(dir)).toBeNull();
    const taken = await tryAcquireLock(dir, 'post-wake', 1);
    expect('acquired' in taken && taken.acquired.holder.command).toBe('post-wake');
    if ('acquired' in taken) await taken.acquired.release();
    writeFileSync(file, '{"half');
    const old = Date.now() / 1000 - 60;
    utimesSync(file, old, old);
    expect('acquired' in (await tryAcquireLock(dir, 'resume', 2))).toBe(true);
  });

  test('processes racing to take over a stale lock: exactly one wins', async () => {
    const me = await currentProcess();
    const { mkdirSync } = await import('fs');
    mkdirSync(dir, { mode: 0o755 });
    writeFileSync(
      path.join(dir, 'sequence.lock'),
      JSON.stringify({ ...me, pid: deadPid(), command: 'tick', since: 0 }),
    );
    const lockModule = path.join(__dirname, '..', '..', '..', 'dist', 'host', 'state', 'sequence-lock.js');
    const script = `
      const { tryAcquireLock } = require(${JSON.stringify(lockModule)});
      tryAcquireLock(${JSON.stringify(dir)}, 'racer', Date.now()).then((a) => {
        process.stdout.write('acquired' in a ? 'won' : 'lost');
        setTimeout(() => process.exit(0), 1500); // hold it while the others try
      });`;
    const outputs = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<string>((resolve) => {
            const child = spawn(process.execPath, ['-e', script]);
            let out = '';
            child.stdout.on('data', (d: Buffer) => (out += d.toString()));
            child.on('close', () => resolve(out));
          }),
      ),
    );
    expect(outputs.filter((o) => o === 'won')).toHaveLength(1);
    expect(outputs.filter((o) => o === 'lost')).toHaveLength(3);
  });
});
