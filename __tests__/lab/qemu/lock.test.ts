import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { $ } from 'zx';
import { withLock } from '../../../lab/qemu/lock';

let dir: string;
let lock: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lab-lock-'));
  lock = path.join(dir, 'build.lock');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the build lock', () => {
  it('lets one holder in at a time and records its PID while held', async () => {
    const order: string[] = [];
    const holder = (name: string) =>
      withLock(lock, { timeoutMs: 5000, pollMs: 20 }, async () => {
        order.push(`${name} in`);
        expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(process.pid);
        await new Promise((r) => setTimeout(r, 100));
        order.push(`${name} out`);
      });
    await Promise.all([holder('a'), holder('b')]);
    // Either may win the race for the lock; the other only gets in after the first left.
    const first = order[0].split(' ')[0];
    const second = first === 'a' ? 'b' : 'a';
    expect(order).toEqual([`${first} in`, `${first} out`, `${second} in`, `${second} out`]);
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a lock whose owner is dead', async () => {
    const dead = await $({ quiet: true })`sh -c 'echo $$'`;
    writeFileSync(lock, JSON.stringify({ pid: Number(dead.stdout.trim()) }));
    await expect(withLock(lock, { timeoutMs: 1000 }, async () => 'ran')).resolves.toBe('ran');
  });

  it('times out naming the live owner, and reports the wait once', async () => {
    writeFileSync(lock, JSON.stringify({ pid: process.pid }));
    const waits: number[] = [];
    await expect(
      withLock(lock, { timeoutMs: 200, pollMs: 20, onWait: (pid) => waits.push(pid) }, async () => 'ran'),
    ).rejects.toThrow(new RegExp(`timed out after 200 ms waiting for .*held by PID ${process.pid}`));
    expect(waits).toEqual([process.pid]);
    expect(existsSync(lock)).toBe(true);
  });

  it('releases the lock when the body throws', async () => {
    await expect(
      withLock(lock, { timeoutMs: 1000 }, async () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(existsSync(lock)).toBe(false);
  });
});
