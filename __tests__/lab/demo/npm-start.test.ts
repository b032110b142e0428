/**
 * `npm start` end to end, as CI and a new user run it (stdout is not a terminal, so the view prints plain
 * lines): four light guests with real qemu-ga and real agents, the real host tool's daemon with short
 * timings, one full sleep cycle. The summary says every guest came back, it exits 0 by itself, and nothing
 * it started is left running.
 */
import { spawn } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..', '..');

jest.setTimeout(180_000);

function processesMentioning(markers: string[]): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ');
      if (!cmdline) continue; // a zombie waiting for its parent
      const environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
      if (markers.some((m) => cmdline.includes(m) || environ.includes(m))) found.push(`${pid}: ${cmdline}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

test('npm start shows one full cycle, says every guest came back, exits 0 and leaves nothing running', async () => {
  const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  expect(stdout).not.toMatch(/\x1b\[/);
  const summary = stdout.slice(stdout.indexOf('Summary:'));
  expect(summary).toMatch(
    /^Summary: one full cycle\n {2}cycle 1 in [0-9.]+ s: sleep due after [0-9.]+ s, warning [0-9.]+ s/,
  );
  expect(summary).toMatch(/VM 100 gaming-win {4}hibernated → resumed/);
  expect(summary).toMatch(/VM 101 desktop {7}hibernated → resumed/);
  expect(summary).toMatch(/VM 102 build-server {2}hibernated → resumed/);
  expect(summary).toMatch(/CT 200 media {9}shut down → started/);
  expect(summary).toContain('host tool: slept and woke');
  expect(summary).toMatch(/Every guest came back \(1 full cycle\)\.\n$/);
  // What the guests did, as the host tool saw it.
  expect(stdout).toMatch(/host {3}VM 100 gaming-win: active \(gpu_active, process:eldenring\.exe\)/);
  expect(stdout).toMatch(/host {3}VM 101 desktop: active \(user_input\)/);
  expect(stdout).toMatch(/host {3}VM 102 build-server: active \(cpu_load\)/);
  expect(stdout).toMatch(
    /tool {3}VM 100 \(gaming-win\): hibernate requested \(agent: Hibernation initiated\)/,
  );

  const labDir = /lab folder (\S+):/.exec(stdout)?.[1];
  const configFile = /\(config (\S+)\)/.exec(stdout)?.[1];
  expect(labDir).toBeDefined();
  expect(configFile).toBeDefined();
  expect(processesMentioning([labDir as string, path.dirname(configFile as string)])).toEqual([]);
});
