/**
 * The daemon as a real process: `proxmox-sleep-agent run` (bundled from source with esbuild, so no build
 * step is needed) writes status files every second while this test reads them as fast as it can; every
 * read must be a complete, valid protocol-v1 document. SIGTERM stops it cleanly.
 */
import { buildSync } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { $ } from 'zx';
import { parseStatus } from '../../../protocol';

const root = path.join(__dirname, '..', '..', '..');
const bundle = path.join(root, 'node_modules', '.cache', 'proxmox-sleep-agent-test', 'cli.js');
let dir: string;

beforeAll(() => {
  buildSync({
    entryPoints: [path.join(root, 'agent-app', 'daemon', 'cli.ts')],
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    packages: 'external',
    outfile: bundle,
    logLevel: 'silent',
  });
  dir = mkdtempSync(path.join(tmpdir(), 'agent-daemon-'));
  writeFileSync(
    path.join(dir, 'agent.json'),
    JSON.stringify({ intervalSeconds: 1, checks: { processes: { names: ['node'] } } }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('writes complete documents a concurrent reader can always parse, and stops on SIGTERM', async () => {
  const statusFile = path.join(dir, 'run', 'status.json');
  const daemon = $({
    env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${path.join(dir, 'no-bus')}` },
  })`node ${bundle} --config ${path.join(dir, 'agent.json')} --status-file ${statusFile} --state-dir ${path.join(dir, 'state')} run`
    .nothrow()
    .quiet();
  const seqs = new Set<number>();
  let reads = 0;
  const until = Date.now() + 4000;
  while (Date.now() < until) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(statusFile);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        await new Promise((r) => setImmediate(r));
        continue;
      }
      throw e;
    }
    const status = parseStatus(bytes); // throws on a partial or invalid document
    seqs.add(status.seq);
    reads++;
    await new Promise((r) => setImmediate(r));
  }
  await daemon.kill('SIGTERM');
  const result = await daemon;
  expect(result.exitCode).toBe(0);
  expect(result.stderr).toMatch(/SIGTERM received, stopping/);
  expect(result.stderr).toMatch(/stopped after \d+ evaluations?/);

  expect(reads).toBeGreaterThan(100);
  const seen = [...seqs].sort((a, b) => a - b);
  expect(seen.length).toBeGreaterThanOrEqual(3);
  expect(seen[0]).toBe(1); // the `starting` document
  const last = parseStatus(readFileSync(statusFile));
  expect(last).toMatchObject({
    idle: false,
    reasons: expect.arrayContaining(['process:node']),
    interval_seconds: 1,
  });
  expect(statSync(statusFile).mode & 0o777).toBe(0o644);
  expect(statSync(path.dirname(statusFile)).mode & 0o777).toBe(0o755);
});
