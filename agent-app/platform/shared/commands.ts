/**
 * Access to the shell seam (common/shell.ts) for probes, loaded on first use: the daemon only pays for
 * zx when a probe actually starts a command (a GPU tool, xprintidle, a custom check). A plain PATH lookup
 * answers "is this tool installed?" without loading anything.
 */
import { constants, promises as fs } from 'fs';
import * as path from 'path';
import { UnavailableError } from '../../../common/errors';
import type { RunOptions, RunResult, Runner } from '../../../common/shell';

export function lazyRunner(defaults: { timeoutMs: number }): Runner {
  let runner: Runner | null = null;
  return async (command: string, args: readonly string[], options?: RunOptions): Promise<RunResult> => {
    if (runner === null) runner = (await import('../../../common/shell')).createRunner(defaults);
    return runner(command, args, options);
  };
}

/**
 * Full path of an executable on PATH (or the path itself when it contains a slash), else null. On Windows a
 * name without an extension is looked up as `<name>.exe` (nvidia-smi.exe), as the shell would.
 */
export async function findOnPath(
  command: string,
  searchPath = process.env.PATH ?? '',
  platform: NodeJS.Platform = process.platform,
): Promise<string | null> {
  if (platform === 'win32' && !/\.[a-z0-9]{1,4}$/i.test(command)) command = `${command}.exe`;
  const candidates =
    command.includes('/') || command.includes('\\')
      ? [command]
      : searchPath
          .split(path.delimiter)
          .filter((dir) => dir !== '')
          .map((dir) => path.join(dir, command));
  for (const candidate of candidates) {
    try {
      await fs.access(candidate, constants.X_OK);
      if ((await fs.stat(candidate)).isFile()) return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

export type PathLookup = (command: string) => Promise<string | null>;

/** Lookups on `platform` along the environment's search path (`Path` in a copied Windows environment). */
export function pathLookup(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): PathLookup {
  const searchPath = env.PATH ?? env.Path ?? '';
  return (command) => findOnPath(command, searchPath, platform);
}

/** What a one-shot probe runs: an installed tool's stdout (UnavailableError when it is not installed). */
export async function toolOutput(
  deps: { run: Runner; findOnPath: PathLookup },
  tool: string,
  args: readonly string[],
  signal: AbortSignal,
): Promise<string> {
  const found = await deps.findOnPath(tool);
  if (!found) throw new UnavailableError(`${tool} is not available`, tool);
  const result = await deps.run(found, args, { signal, timeoutMs: 10_000, maxOutputBytes: 64 * 1024 });
  if (result.exitCode !== 0)
    throw new Error(
      `${tool} ${args.join(' ')} exited ${result.exitCode}: ${(result.stderr || result.stdout).trim().slice(0, 160)}`,
    );
  return result.stdout;
}

/**
 * Remembers lookups for `ttlMs` (found or not): probes ask "is nvidia-smi installed?" every evaluation,
 * and an installed or removed tool is noticed within a minute.
 */
export function cachedLookup(lookup: PathLookup, ttlMs: number, now: () => number): PathLookup {
  const cache = new Map<string, { path: string | null; at: number }>();
  return async (command) => {
    const hit = cache.get(command);
    if (hit && now() - hit.at < ttlMs) return hit.path;
    const found = await lookup(command);
    cache.set(command, { path: found, at: now() });
    return found;
  };
}
