/**
 * `npm run bench:agent`: the headless daemon's footprint at the default 10 s interval.
 *
 * - RSS (VmRSS, and its anonymous / file-backed parts) and CPU share of the daemon process (its own time
 *   plus reaped children) over BENCH_SECONDS (default 70 s, at least 60), measured from /proc after a
 *   5 s settling period, in two set-ups: no system bus (this machine as is) and a system bus with a
 *   logind stand-in (a Debian server: the D-Bus client is loaded and used every evaluation);
 * - the time of one evaluation (in-process, median and p95 of 30 runs after the first).
 *
 * Targets (docs/agent.md): < 45 MB RSS, < 0.1 % of one core. Figures are printed, never asserted.
 * NODE=/path/to/node runs the daemon with another Node (e.g. 18, as Debian 12 ships).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { $ } from 'zx';
import { systemClock } from '../common/clock';
import { createLogger } from '../common/log';
import { createAgent } from '../agent-app/core/agent';
import { createBlockStore } from '../agent-app/core/block-store';
import { parseAgentConfig } from '../agent-app/core/config';
import { createStatusWriter } from '../agent-app/core/status-writer';
import { compose } from '../agent-app/setup/compose';
import { repoRoot } from '../lab/qemu/repo-root';

const root = repoRoot();
const cli = path.join(root, 'dist', 'agent-app', 'daemon', 'cli.js');
const node = process.env.NODE ?? process.execPath;
const seconds = Math.max(60, Number(process.env.BENCH_SECONDS ?? 70));
const CLK_TCK = 100;
/** The NODE_OPTIONS the systemd unit sets, so the benchmark measures what is shipped. */
const unitNodeOptions =
  /^Environment="NODE_OPTIONS=([^"]*)"$/m.exec(
    readFileSync(path.join(root, 'installer', 'agent', 'proxmox-sleep-agent.service'), 'utf8'),
  )?.[1] ?? '';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function procStatus(pid: number) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? 0) / 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime are fields 14-17 (1-based) of the full line.
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
}

const config = {
  intervalSeconds: 10,
  checks: { processes: { names: ['steam', 'plex-media-server', 'borg'] } },
};

async function daemonRun(label: string, env: NodeJS.ProcessEnv): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-agent-'));
  writeFileSync(path.join(dir, 'agent.json'), JSON.stringify(config));
  const args = [
    '--config',
    path.join(dir, 'agent.json'),
    '--status-file',
    path.join(dir, 'run', 'status.json'),
    '--state-dir',
    path.join(dir, 'state'),
    'run',
  ];
  const daemon = $({ env: { ...process.env, NODE_OPTIONS: unitNodeOptions, ...env } })`${node} ${cli} ${args}`
    .nothrow()
    .quiet();
  const pid = daemon.child?.pid;
  if (!pid) throw new Error('daemon did not start');
  await sleep(5000);
  const startTicks = cpuTicks(pid);
  const started = Date.now();
  const samples: ReturnType<typeof procStatus>[] = [];
  while (Date.now() - started < seconds * 1000) {
    samples.push(procStatus(pid));
    await sleep(1000);
  }
  const cpuSeconds = (cpuTicks(pid) - startTicks) / CLK_TCK;
  const wall = (Date.now() - started) / 1000;
  const last = samples[samples.length - 1];
  const peak = samples.reduce((a, b) => (b.rss > a.rss ? b : a));
  const status = JSON.parse(readFileSync(path.join(dir, 'run', 'status.json'), 'utf8')) as {
    seq: number;
    checks: { name: string }[];
  };
  await daemon.kill('SIGTERM');
  await daemon;
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `\n${label} (${await $`${node} --version`.quiet().then((r) => r.stdout.trim())}, ${wall.toFixed(0)} s at a 10 s interval, ${status.seq - 1} evaluations, checks: ${status.checks.map((c) => c.name).join(', ')})`,
  );
  console.log(
    `  RSS       ${last.rss.toFixed(1)} MB at the end, peak ${peak.rss.toFixed(1)} MB (anonymous ${last.anon.toFixed(1)} MB, file-backed ${last.file.toFixed(1)} MB)   target < 45 MB`,
  );
  console.log(
    `  CPU       ${((cpuSeconds / wall) * 100).toFixed(3)} % of one core (${(cpuSeconds * 1000).toFixed(0)} ms CPU in ${wall.toFixed(0)} s)   target < 0.1 %`,
  );
}

async function withSystemBus(run: (address: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-bus-'));
  const address = `unix:path=${path.join(dir, 'system_bus_socket')}`;
  const bus = $`dbus-daemon --session --nofork --nopidfile --address=${address}`.nothrow().quiet();
  for (let i = 0; i < 100 && !existsSync(path.join(dir, 'system_bus_socket')); i++) await sleep(30);
  const logind = $`node ${path.join(__dirname, 'agent-fake-logind.js')} ${address}`.nothrow().quiet();
  for await (const line of logind.stdout) if (String(line).includes('ready')) break;
  try {
    await run(address);
  } finally {
    await logind.kill('SIGTERM');
    await bus.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function evaluationTime(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-eval-'));
  const parsed = parseAgentConfig(
    { ...config, statusFile: path.join(dir, 'status.json'), stateDir: dir },
    'linux',
  );
  const logger = createLogger('bench', { sink: () => undefined });
  const parts = compose(parsed, 'linux', { clock: systemClock, logger, env: process.env });
  const agent = createAgent({
    info: parts.info,
    intervalSeconds: 10,
    checkTimeoutMs: 5000,
    unknownIs: 'idle',
    checks: parts.checks,
    clock: systemClock,
    logger,
    blockStore: createBlockStore(dir),
    writer: createStatusWriter(parsed.statusFile),
  });
  await agent.evaluate(); // first run samples CPU and network twice (1 s apart)
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = process.hrtime.bigint();
    await agent.evaluate();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  await agent.close();
  rmSync(dir, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  console.log(
    `\nOne evaluation (in-process, ${parts.checks.length} checks, status file written): median ${times[15].toFixed(2)} ms, p95 ${times[28].toFixed(2)} ms`,
  );
}

async function main(): Promise<void> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  console.log(
    `proxmox-sleep-agent benchmark: ${seconds} s per set-up; daemon NODE_OPTIONS="${unitNodeOptions}" (from the systemd unit)`,
  );
  await evaluationTime();
  await daemonRun('Daemon without a system bus', {
    DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/nonexistent/system_bus_socket',
  });
  await withSystemBus((address) =>
    daemonRun('Daemon with a system bus (logind stand-in answering ListInhibitors)', {
      DBUS_SYSTEM_BUS_ADDRESS: address,
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
