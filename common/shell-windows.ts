/**
 * The shell seam on Windows. zx needs bash, which a Windows guest does not have (without it zx cannot even
 * quote an argument), so the program is started directly: no shell, the argument array handed to Node, which
 * quotes each one for the Windows command line. A `.cmd` or `.bat` file therefore needs an explicit
 * `cmd.exe /d /c` (Node refuses to start one without a shell). Same options and result as on POSIX.
 */
import * as childProcess from 'child_process';
import { cappedOutput, COMMAND_NOT_FOUND, type RunOptions, type RunResult } from './run-types';

/** stderr is for error messages; a command that floods it is cut here. */
const MAX_STDERR_BYTES = 64 * 1024;

export async function runDirect(
  command: string,
  args: readonly string[],
  options: RunOptions & { timeoutMs: number },
): Promise<RunResult> {
  const started = Date.now();
  const done = (
    fields: Pick<RunResult, 'exitCode' | 'signal' | 'stdoutBytes' | 'stderr' | 'timedOut' | 'truncated'>,
  ) => ({
    command,
    args,
    stdout: fields.stdoutBytes.toString('utf8'),
    durationMs: Date.now() - started,
    ...fields,
  });
  let child: childProcess.ChildProcess;
  try {
    child = childProcess.spawn(command, [...args], {
      env: options.env,
      cwd: options.cwd,
      windowsHide: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (e) {
    return done(notStarted(command, e));
  }
  return new Promise<RunResult>((resolve) => {
    let timedOut = false;
    const stdout = cappedOutput(options.maxOutputBytes ?? Infinity, () => killTree(child));
    const stderr = cappedOutput(MAX_STDERR_BYTES, () => undefined);
    child.stdout?.on('data', stdout.push);
    child.stderr?.on('data', stderr.push);
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child);
    }, options.timeoutMs);
    const onAbort = () => killTree(child);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (result: RunResult) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    child.once('error', (e) => finish(done(notStarted(command, e))));
    child.once('close', (code, signal) =>
      finish(
        done({
          exitCode: timedOut ? null : code,
          signal,
          stdoutBytes: stdout.bytes(),
          stderr: stderr.bytes().toString('utf8'),
          timedOut,
          truncated: stdout.truncated(),
        }),
      ),
    );
    child.stdin?.on('error', () => undefined); // a program that exits without reading its input
    child.stdin?.end(options.input);
  });
}

/** A program that could not be started answers like bash's "command not found" (commandMissing sees it). */
function notStarted(command: string, e: unknown) {
  const code = (e as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
  const said = code === 'ENOENT' ? 'command not found' : `cannot start (${code})`;
  return {
    exitCode: COMMAND_NOT_FOUND,
    signal: null,
    stdoutBytes: Buffer.alloc(0),
    stderr: `${command}: ${said}\n`,
    timedOut: false,
    truncated: false,
  };
}

/** Ends the program and everything it started (taskkill /T), then the program itself should taskkill fail. */
function killTree(child: childProcess.ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  const taskkill = childProcess.spawn('taskkill.exe', ['/pid', String(child.pid), '/T', '/F'], {
    windowsHide: true,
    stdio: 'ignore',
  });
  const fallback = () => child.kill();
  taskkill.once('error', fallback);
  taskkill.once('close', fallback);
}
