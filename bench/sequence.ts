/**
 * `npm run bench:sequence`: wall time of pre-sleep (`proxmox-sleep hibernate`) and post-wake
 * (`proxmox-sleep resume`) for 1, 4 and 8 lab guests that take a fixed time to hibernate and to start, with
 * SLEEP_PARALLELISM 1, 2 and 0. The guests are lab "light" guests: a real qemu-ga each, asked to hibernate
 * with guest-suspend-disk over its socket (the lab's guest `systemctl hibernate` makes the guest stop after
 * BENCH_HIBERNATE_S, default 5 s: the lab's measured hibernation of a small Debian guest, qemu-lab.md);
 * Proxmox is the lab's qm/pct/pvesh. Target: with parallelism 0, within 1.2 × the time
 * of one guest. BENCH_SIZES=1,8 and BENCH_PARALLELISM=0 run a subset.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createLabPve } from '../lab/pve/lab';
import { repoRoot } from '../lab/qemu/repo-root';

const ROOT = repoRoot();
const CLI = path.join(ROOT, 'dist', 'host', 'cli.js');
const SIZES = (process.env.BENCH_SIZES ?? '1,4,8').split(',').map(Number);
const PARALLELISM = (process.env.BENCH_PARALLELISM ?? '1,2,0').split(',').map(Number);
const HIBERNATE_S = Number(process.env.BENCH_HIBERNATE_S ?? 5);
const START_S = Number(process.env.BENCH_START_S ?? 1);

interface Timing {
  preSleepS: number;
  postWakeS: number;
}

async function measure(n: number, parallelism: number): Promise<Timing> {
  const lab = createLabPve();
  const work = mkdtempSync(path.join(os.tmpdir(), 'bench-seq-'));
  try {
    const ids = Array.from({ length: n }, (_, i) => 700 + i);
    for (const id of ids)
      await lab.addVm(id, {
        backend: 'light',
        behaviour: { hibernateSeconds: HIBERNATE_S, startSeconds: START_S },
      });
    const conf = path.join(work, 'bench.conf');
    writeFileSync(
      conf,
      [
        `VM_IDS="${ids.join(' ')}"`,
        ...ids.map((id) => `VM_${id}_TRANSPORT=none`),
        `SLEEP_PARALLELISM=${parallelism}`,
        'HIBERNATE_TIMEOUT=20',
        'SHUTDOWN_TIMEOUT=20',
        'WAKE_DELAY=0',
        'GUEST_AGENT_ACCESS=socket',
        `QGA_SOCKET_DIR=${lab.socketDir}`,
        `SLEEP_MANAGER_LOG=${path.join(work, 'sleep.log')}`,
        '',
      ].join('\n'),
    );
    const env = { ...process.env, ...lab.env, PROXMOX_SLEEP_STATE_DIR: path.join(work, 'state') };
    const timed = (command: string): number => {
      const started = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [CLI, command, '--config', conf], { env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${command} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
      return Number(process.hrtime.bigint() - started) / 1e9;
    };
    const preSleepS = timed('hibernate');
    const postWakeS = timed('resume');
    const notBack = ids.filter((id) => lab.guest(id)?.status !== 'running');
    if (notBack.length) throw new Error(`guests not back: ${notBack.join(', ')}`);
    return { preSleepS, postWakeS };
  } finally {
    await lab.cleanup();
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `each guest: hibernates in ${HIBERNATE_S} s, starts in ${START_S} s; times include the CLI's own start (node)`,
  );
  console.log('guests  SLEEP_PARALLELISM  pre-sleep  post-wake');
  const results = new Map<string, Timing>();
  for (const n of SIZES)
    for (const p of PARALLELISM) {
      const r = await measure(n, p);
      results.set(`${n}/${p}`, r);
      console.log(
        `${String(n).padStart(6)}  ${String(p).padStart(17)}  ${r.preSleepS.toFixed(1).padStart(8)} s  ${r.postWakeS.toFixed(1).padStart(8)} s`,
      );
    }
  const one = results.get('1/0') ?? results.get('1/1') ?? results.get('1/2');
  if (one)
    for (const n of SIZES.filter((x) => x > 1)) {
      const all = results.get(`${n}/0`);
      if (!all) continue;
      const ratio = (a: number, b: number) => (a / b).toFixed(2);
      console.log(
        `parallelism 0, ${n} guests vs 1 guest: pre-sleep ${ratio(all.preSleepS, one.preSleepS)}×, post-wake ${ratio(all.postWakeS, one.postWakeS)}× (target ≤ 1.2×)`,
      );
    }
  console.log(
    `load average after the run: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${os.cpus().length} CPUs`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
