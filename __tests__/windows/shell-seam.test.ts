/**
 * The shell seam on Windows (common/shell-windows.ts), called by the Windows Node as the agent's probes
 * call it, against stand-in Windows programs: arguments arrive exactly, exit codes and output come back,
 * and a program that hangs or floods is ended.
 */
import { writeFileSync } from 'fs';
import * as path from 'path';
import { standIns } from './helpers/layout';
import { cDrive, runWindowsNode, wineRun } from './helpers/wine';

const seam = path.join(__dirname, 'helpers', 'run-seam.js');
const tools = () => standIns('SeamStandIns');
const tool = (name: string) => `C:\\SeamStandIns\\${name}.exe`;

async function run(spec: object) {
  const r = await runWindowsNode(seam, [JSON.stringify(spec)]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

it('hands every argument over literally: quotes, spaces, cmd.exe metacharacters, non-ASCII', async () => {
  const bin = tools();
  bin.add('echo-args');
  const args = ['a b', 'say "hi"', 'x & y | z', '%PATH%', '^!<>', 'ünïcödé ☕', 'ends\\', ''];
  const result = await run({ command: tool('echo-args'), args });
  expect(result).toMatchObject({ exitCode: 0, timedOut: false, truncated: false });
  expect(bin.calls('echo-args')).toEqual([args]);
});

it('returns the exit code and stdout bytes (Windows line endings kept)', async () => {
  const bin = tools();
  const out = cDrive(wineRun(), 'seam-out.txt');
  writeFileSync(out, 'first\r\nsecond\r\n');
  bin.add('answer', { stdoutFile: out, exitCode: 7 });
  expect(await run({ command: tool('answer'), args: [] })).toMatchObject({
    exitCode: 7,
    stdout: 'first\r\nsecond\r\n',
  });
});

it('ends a program that runs past its timeout', async () => {
  const bin = tools();
  bin.add('slow', { sleepMs: 30_000 });
  const started = Date.now();
  const result = await run({ command: tool('slow'), args: [], timeoutMs: 1500 });
  expect(result).toMatchObject({ timedOut: true, exitCode: null });
  expect(Date.now() - started).toBeLessThan(25_000);
});

it('stops reading untrusted output at maxOutputBytes', async () => {
  const bin = tools();
  const big = cDrive(wineRun(), 'seam-big.txt');
  writeFileSync(big, '0123456789'.repeat(10_000));
  bin.add('flood', { stdoutFile: big, sleepMs: 20_000 });
  const result = await run({ command: tool('flood'), args: [], maxOutputBytes: 1000 });
  expect(result).toMatchObject({ truncated: true, stdoutLength: 1000 });
});

it('a program that does not exist is "command not found", as on Linux', async () => {
  expect(await run({ command: 'C:\\nowhere\\missing.exe', args: [] })).toMatchObject({
    exitCode: 127,
    missing: true,
  });
});
