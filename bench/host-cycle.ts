/**
 * `npm run bench:host`: one check cycle over 1, 10 and 50 guests served by real qemu-ga processes
 * (GUEST_AGENT_ACCESS=socket), against the previous release's way of reading the same guests (one
 * `qm guest exec` per signal, six signals plus one pvesh call per guest, one guest after the other), then the
 * cold `tick` time and peak RSS of the CLI. Proxmox itself is the fake qm/pct/pvesh (Node scripts: their
 * start-up stands in for Perl's, which is slower) and a local HTTPS server answering like the API.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRunner } from '../common/shell';
import { memorySink } from '../common/log';
import { resolveConfig, type HostConfig } from '../host/config';
import { observe, type ObservationTimings } from '../host/monitor/observe';
import { policyConfigFrom } from '../host/monitor/policy-input';
import { decide } from '../host/policy';
import { wire } from '../host/wiring/index';
import { createFakePve, type FakePve } from '../__tests__/host/helpers/fake-pve';
import { startFakeApi } from '../__tests__/host/helpers/fake-pve-api';
import { activeStatus, bytes, idleStatus } from '../__tests__/helpers/status-samples';
import { repoRoot } from '../lab/qemu/repo-root';

const ROOT = repoRoot();
const BIN = path.join(ROOT, 'lab', 'pve', 'bin');
const NODE = os.hostname().split('.')[0];
const SIZES = (process.env.BENCH_SIZES ?? '1,10,50').split(',').map(Number);
const LEGACY = process.env.BENCH_LEGACY !== '0';
const REPEAT = 11;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (n: number) => `${n.toFixed(1)} ms`;

function configText(pve: FakePve, n: number, extra: string[]): string {
  const ids = Array.from({ length: n }, (_, i) => 100 + i);
  return [
    `VM_IDS="${ids.join(' ')}"`,
    ...ids.map((id) => `VM_${id}_STATUS_PATH=${pve.statusPath(id)}`),
    'GUEST_AGENT_ACCESS=socket',
    `QGA_SOCKET_DIR=${pve.socketDir}`,
    'CHECK_SLEEP_INHIBITORS=0',
    'HOST_BLOCKING_UNITS=""',
    ...extra,
  ].join('\n');
}

async function cycle(
  config: HostConfig,
  env: Record<string, string>,
): Promise<{ times: number[]; last: ObservationTimings }> {
  const wired = await wire(config, {
    env: { ...process.env, ...env },
    sink: memorySink(),
    lenient: false,
    parallelism: process.env.BENCH_PARALLELISM ? Number(process.env.BENCH_PARALLELISM) : undefined,
  });
  const times: number[] = [];
  const cpuMs: number[] = [];
  let last: ObservationTimings | null = null;
  for (let i = 0; i < REPEAT; i++) {
    const t = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const { observations, timings } = await observe(config, wired);
    cpuMs.push((process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000);
    decide(observations, policyConfigFrom(config), Date.now(), null);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    last = timings;
  }
  wired.close();
  if (process.env.BENCH_CPU)
    console.log(`  this process's CPU per cycle: ${cpuMs.map((c) => c.toFixed(0)).join(', ')} ms`);
  return { times: times.slice(1), last: last as ObservationTimings }; // the first run opens the API connections
}

const parts = (t: ObservationTimings) =>
  `power ${t.powerMs} ms, guests ${t.guestsMs} ms, host checks ${t.hostChecksMs} ms`;

/** The previous release: per guest, one pvesh for CPU and six `qm guest exec`, all sequential. */
async function legacy(pve: FakePve, n: number): Promise<number> {
  const run = createRunner({ timeoutMs: 60000, env: { ...process.env, ...pve.env } });
  const idleFile = path.join(pve.dir, 'idle_seconds.txt');
  writeFileSync(idleFile, '900\n');
  const signals = [
    [
      '/bin/sh',
      '-c',
      'nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits 2>/dev/null || echo -1',
    ],
    ['/bin/sh', '-c', 'echo -1'], // AMD counters (Get-Counter) stand-in
    ['/bin/cat', idleFile], // helper's idle_seconds.txt
    ['/bin/sh', '-c', 'echo 0'], // screensaver / LogonUI stand-in
    ['/bin/sh', '-c', 'ps -eo comm='], // Get-Process
    ['/bin/sh', '-c', 'echo NONE'], // powercfg /requests
  ];
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const id = 100 + i;
    await run('pvesh', ['get', `/nodes/${NODE}/qemu/${id}/status/current`, '--output-format', 'json']);
    for (const argv of signals) {
      const r = await run('qm', ['guest', 'exec', String(id), '--', ...argv]);
      if (r.exitCode !== 0) throw new Error(`legacy exec failed: ${r.stderr}`);
    }
  }
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function coldTick(pve: FakePve, n: number, stateDir: string): Promise<{ ms: number; rssKb: number }> {
  const conf = path.join(pve.dir, 'cold.conf');
  writeFileSync(conf, `${configText(pve, n, [`IDLE_MONITOR_LOG=${path.join(pve.dir, 'cold.log')}`])}\n`);
  const run = createRunner({
    timeoutMs: 60000,
    env: { ...process.env, ...pve.env, PROXMOX_SLEEP_STATE_DIR: stateDir },
  });
  const r = await run(process.execPath, [
    '--require',
    path.join(ROOT, 'bench', 'report-rss.cjs'),
    path.join(ROOT, 'dist', 'host', 'cli.js'),
    'tick',
    '--config',
    conf,
  ]);
  if (r.exitCode !== 0) throw new Error(`cold tick failed: ${r.stderr}`);
  const rss = /BENCH_MAX_RSS_KB=([0-9]+)/.exec(r.stderr);
  return { ms: r.durationMs, rssKb: rss ? Number(rss[1]) : NaN };
}

async function main() {
  console.log(`host check cycle benchmark (${os.cpus().length} CPUs, Node ${process.version})\n`);
  const rows: string[][] = [
    ['guests', 'socket+API', 'socket+pvesh', 'previous release', 'ratio (vs socket+API)'],
  ];
  for (const n of SIZES) {
    const pve = createFakePve({ binDir: BIN });
    const work = mkdtempSync(path.join(os.tmpdir(), 'bench-host-'));
    try {
      for (let i = 0; i < n; i++) {
        await pve.addVm(100 + i, { cpu: 0.02 });
        const status = i % 3 === 0 ? activeStatus(['user_input']) : idleStatus();
        writeFileSync(pve.statusPath(100 + i), bytes(status));
      }
      const api = await startFakeApi(pve, NODE);
      const token = path.join(work, 'token');
      writeFileSync(token, `${api.token}\n`, { mode: 0o600 });
      const env = { ...pve.env, PROXMOX_SLEEP_STATE_DIR: path.join(work, 'state') };
      const withApi = resolveConfig(
        configText(pve, n, [
          `PROXMOX_API_URL=${api.url}`,
          `PROXMOX_API_TOKEN_FILE=${token}`,
          `PROXMOX_API_FINGERPRINT=${api.fingerprint}`,
        ]),
        'bench.conf',
        env,
      ).config;
      const withPvesh = resolveConfig(configText(pve, n, []), 'bench.conf', env).config;
      const apiRun = await cycle(withApi, env);
      const pveshRun = await cycle(withPvesh, env);
      const apiMs = median(apiRun.times);
      const pveshMs = median(pveshRun.times);
      console.log(`  ${n} guests, last socket+API cycle: ${parts(apiRun.last)}`);
      console.log(`  ${n} guests, last socket+pvesh cycle: ${parts(pveshRun.last)}`);
      await api.close();
      const legacyMs = LEGACY ? await legacy(pve, n) : NaN;
      const legacyText = LEGACY ? ms(legacyMs) : 'skipped (BENCH_LEGACY=0)';
      rows.push([
        String(n),
        ms(apiMs),
        ms(pveshMs),
        legacyText,
        LEGACY ? `${(legacyMs / apiMs).toFixed(0)}×` : '-',
      ]);
      console.log(
        `  ${n} guests: socket+API ${ms(apiMs)}, socket+pvesh ${ms(pveshMs)}, previous release ${legacyText}`,
      );
      if (n === SIZES[SIZES.length - 1]) {
        const cold = await coldTick(pve, n, path.join(work, 'cold-state'));
        rows.push([]);
        rows.push([
          `cold \`tick\` (${n} guests, qm/pvesh backend, socket access): ${ms(cold.ms)}, peak RSS ${(cold.rssKb / 1024).toFixed(1)} MiB`,
        ]);
      }
    } finally {
      await pve.cleanup();
      rmSync(work, { recursive: true, force: true });
    }
  }
  console.log('');
  for (const r of rows)
    console.log(r.map((c, i) => (i === 0 && r.length > 1 ? c.padStart(6) : c.padEnd(18))).join('  '));
  console.log('\nmedian of 10 warm cycles each; "previous release" is one sequential pass.');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
