/**
 * The status file on Windows file semantics (Wine's): the agent's atomic writes, with a reader (the host's
 * capped read and parser) reading at the same time, in separate Windows processes.
 */
import { existsSync, readdirSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import { clearData, dataDir, writeAgentConfig } from './helpers/layout';
import { cDrive, runWindowsNode, wineRun } from './helpers/wine';

const helpers = path.join(__dirname, 'helpers');
const cli = path.join(__dirname, '..', '..', 'dist', 'agent-app', 'daemon', 'cli.js');
const STATUS = 'C:\\ProgramData\\ProxmoxSleep\\status.json';

beforeEach(() => {
  clearData();
  writeAgentConfig({ checks: { cpu: { enabled: false }, network: { enabled: false } } });
});

it('a reader reading while the agent rewrites never sees a torn or missing document, and no write fails', async () => {
  expect((await runWindowsNode(cli, ['status'])).code).toBe(0);
  const stop = cDrive(wineRun(), 'stop-reading');
  const ready = cDrive(wineRun(), 'reader-ready');
  rmSync(stop, { force: true });
  rmSync(ready, { force: true });
  const reader = runWindowsNode(path.join(helpers, 'status-reader.js'), [
    STATUS,
    'C:\\stop-reading',
    'C:\\reader-ready',
  ]);
  for (let i = 0; i < 600 && !existsSync(ready); i++) await new Promise((r) => setTimeout(r, 100));
  const writer = await runWindowsNode(path.join(helpers, 'status-rewriter.js'), [STATUS, '100']);
  writeFileSync(stop, '');
  const read = await reader;
  expect(JSON.parse(writer.stdout)).toEqual({ writes: 100, failures: [], failed: 0 });
  const seen = JSON.parse(read.stdout) as {
    parsed: number;
    seqs: number;
    invalid: string[];
    errors: Record<string, number>;
  };
  expect(seen.invalid).toEqual([]);
  expect(seen.errors).toEqual({});
  // It read while the writer rewrote: several of the writer's documents, not just the first one.
  expect(seen.seqs).toBeGreaterThan(2);
  // Nothing is left behind: no temp files next to the status file.
  expect(readdirSync(dataDir()).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  expect(existsSync(dataDir('status.json'))).toBe(true);
});
