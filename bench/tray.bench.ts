/**
 * What the tray does per status and per start, timed (`npm run bench:tray`, after `npm run build`):
 * rebuilding the menu (every status and every countdown minute), the status window's model, the last
 * hour's bands, the power-request snapshot's round trip, and a cold start of the bundled CLI (the
 * host's `notify` / `status`, the SYSTEM task's start).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { createRunner } from '../common/shell';
import { buildPageModel } from '../agent-app/electron/shared/view-model';
import { historyBands, recordSample, type HistorySample } from '../agent-app/electron/shared/history';
import { buildTrayMenu } from '../agent-app/electron/tray/menu-model';
import { toMenuTemplate } from '../agent-app/electron/tray/menu-template';
import {
  buildSnapshot,
  formatSnapshot,
  parseSnapshot,
} from '../agent-app/platform/windows/power-requests-snapshot';
import { repoRoot } from '../lab/qemu/repo-root';
import { SAMPLE_NOW, samples } from '../scripts/tray/sample-snapshots';

function time(name: string, iterations: number, fn: () => unknown): void {
  for (let i = 0; i < Math.min(1000, iterations); i++) fn(); // warm up
  const started = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  const perCall = (performance.now() - started) / iterations;
  console.log(
    `${name.padEnd(58)} ${perCall < 1 ? `${(perCall * 1000).toFixed(1)} µs` : `${perCall.toFixed(2)} ms`}`,
  );
}

async function main(): Promise<void> {
  const active = samples.active();
  const blocked = samples.blockedUntil();
  time('menu model + Electron template + change key (active)', 20_000, () =>
    JSON.stringify(
      toMenuTemplate(
        buildTrayMenu(active.status, active.status!.block, SAMPLE_NOW, 'win32', { startAtLogin: true }),
        () => undefined,
      ),
    ),
  );
  time('menu model + template + change key (blocked, countdown)', 20_000, () =>
    JSON.stringify(
      toMenuTemplate(
        buildTrayMenu(blocked.status, blocked.status!.block, SAMPLE_NOW, 'win32', { startAtLogin: true }),
        () => undefined,
      ),
    ),
  );
  time('status window model', 20_000, () => buildPageModel(active));

  let history: HistorySample[] = [];
  for (let t = SAMPLE_NOW - 3600_000; t <= SAMPLE_NOW; t += 10_000)
    history = recordSample(history, { at: t, state: t % 60_000 === 0 ? 'active' : 'idle' });
  time(`last hour's bands from ${history.length} samples (10 s interval)`, 5_000, () =>
    historyBands(history, SAMPLE_NOW, 27_000),
  );

  const snapshot = buildSnapshot({
    requests: Array.from({ length: 64 }, (_, i) => ({
      who: `program-${i}.exe`,
      why: 'Playing audio',
      kind: 'SYSTEM',
    })),
    now: SAMPLE_NOW,
    intervalSeconds: 10,
    source: 'powercfg',
    error: null,
  });
  time('power-request snapshot: format + parse (64 requests)', 5_000, () =>
    parseSnapshot(Buffer.from(formatSnapshot(snapshot))),
  );

  const cli = path.join(repoRoot(), 'dist', 'tray-cli', 'proxmox-sleep-agent.js');
  const run = createRunner({ timeoutMs: 30_000 });
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const result = await run(process.execPath, [cli, '--version']);
    if (result.exitCode !== 0) throw new Error(`${cli} --version failed: ${result.stderr}`);
    runs.push(result.durationMs);
  }
  runs.sort((a, b) => a - b);
  console.log(
    `${'bundled CLI cold start (node, --version), median of 5'.padEnd(58)} ${runs[2].toFixed(0)} ms`,
  );

  // The resident SYSTEM task: peak memory over ~10 snapshots, powercfg played by a stand-in printing a capture.
  const dir = mkdtempSync(path.join(tmpdir(), 'tray-bench-'));
  try {
    const fixture = path.join(repoRoot(), '__tests__', 'fixtures', 'agent', 'powercfg', 'autowall-mpv.txt');
    writeFileSync(path.join(dir, 'powercfg'), `#!/bin/sh\ncat '${fixture}'\n`, { mode: 0o755 });
    writeFileSync(
      path.join(dir, 'agent.json'),
      JSON.stringify({ statusFile: path.join(dir, 'run', 'status.json') }),
    );
    const report = path.join(repoRoot(), 'bench', 'report-rss.cjs');
    const peak = async (args: string[], timeoutMs: number) => {
      const result = await run(process.execPath, ['-r', report, ...args], {
        timeoutMs,
        env: { PATH: `${dir}:${process.env.PATH}`, PROXMOX_SLEEP_AGENT_CONFIG: path.join(dir, 'agent.json') },
      });
      return Number(/BENCH_MAX_RSS_KB=(\d+)/.exec(result.stderr)?.[1]) / 1024;
    };
    const task = await peak(
      [path.join(repoRoot(), 'dist', 'tray-cli', 'power-requests.js'), '--interval', '1'],
      10_500,
    );
    const node = await peak(['-e', '0'], 5000);
    console.log(
      `${'SYSTEM task (power-requests.js), peak RSS over ~10 snapshots'.padEnd(58)} ${task.toFixed(0)} MB (node alone ${node.toFixed(0)} MB)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
