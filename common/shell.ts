/**
 * The one shell seam. Every process this project starts goes through `createRunner`: zx with a quiet,
 * non-throwing preset and a timeout. Arguments are passed as an array and interpolated by zx, which
 * quotes each one; nothing here ever concatenates a command string. On Windows, which has no bash for zx,
 * the program is started directly instead (shell-windows.ts), with the same options and result.
 */
import * as childProcess from 'child_process';
import { $, which as zxWhich } from 'zx';
import { cappedOutput, COMMAND_NOT_FOUND, type RunResult, type Runner } from './run-types';
import { runDirect } from './shell-windows';

/**
 * zx runs commands through bash. Node gives children socketpairs as stdio, and Debian's bash takes a socket
 * on stdin for an SSH login and sources root's ~/.bashrc — slow, noisy, and able to change PATH under us.
 * This spawn adds --norc --noprofile; everything else is zx's own call.
 */
const spawnWithoutRc = ((command: string, args: readonly string[], options: childProcess.SpawnOptions) => {
  const { shell, ...rest } = options;
  if (!shell) return childProcess.spawn(command, args, rest);
  const bash = typeof shell === 'string' ? shell : '/bin/bash';
  return childProcess.spawn(bash, ['--norc', '--noprofile', '-c', [command, ...args].join(' ')], rest);
}) as typeof childProcess.spawn;

export type { RunOptions, RunResult, Runner } from './run-types';

const KILL_GRACE_MS = 1000;

export { COMMAND_NOT_FOUND };

export function createRunner(defaults: { timeoutMs: number; env?: NodeJS.ProcessEnv }): Runner {
  if (process.platform === 'win32')
    return (command, args, options = {}) =>
      runDirect(command, args, {
        ...options,
        timeoutMs: options.timeoutMs ?? defaults.timeoutMs,
        env: options.env ?? defaults.env ?? process.env,
      });
  return async (command, args, options = {}) => {
    const timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
    const started = Date.now();
    const shell = $({
      quiet: true,
      nothrow: true,
      verbose: false,
      env: options.env ?? defaults.env ?? process.env,
      cwd: options.cwd,
      input: options.input,
      signal: options.signal,
      spawn: spawnWithoutRc,
      // Own process group, so a timeout can end the command and everything it started at once.
      detached: true,
    });
    const proc = shell`${command} ${[...args]}`;
    let timedOut = false;
    const killGroup = (signal: NodeJS.Signals) => {
      const pid = proc.child?.pid;
      try {
        if (pid) process.kill(-pid, signal);
      } catch {
        // already gone
      }
    };
    // SIGTERM to the whole group, then SIGKILL for anything that ignores it.
    let graceTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      graceTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    }, timeoutMs);
    // Collected here rather than from zx's output, which only offers stdout as decoded text.
    const stdout = cappedOutput(options.maxOutputBytes ?? Infinity, () => killGroup('SIGKILL'));
    proc.stdout.on('data', stdout.push);
    const out = await proc;
    clearTimeout(timer);
    if (graceTimer) clearTimeout(graceTimer);
    // The group may hold children that outlived the shell; a finished command leaves nothing behind.
    const truncated = stdout.truncated();
    if (timedOut || truncated) killGroup('SIGKILL');
    const durationMs = Date.now() - started;
    const stdoutBytes = stdout.bytes();
    return {
      command,
      args,
      exitCode: timedOut ? null : out.exitCode,
      signal: out.signal,
      stdout: stdoutBytes.toString('utf8'),
      stdoutBytes,
      stderr: out.stderr,
      durationMs,
      timedOut,
      truncated,
    };
  };
}

/** Full path of a command on PATH, or null. */
export async function which(command: string, path = process.env.PATH): Promise<string | null> {
  return zxWhich(command, { nothrow: true, path }) as Promise<string | null>;
}

export function commandMissing(result: RunResult): boolean {
  return result.exitCode === COMMAND_NOT_FOUND && /command not found|No such file/.test(result.stderr);
}
