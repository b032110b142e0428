/** A finished command as the shell seam reports it (common/shell.ts), for checks and transports under test. */
import type { RunResult } from '../../common/shell';

export function runResult(over: Partial<RunResult> = {}): RunResult {
  const stdout = over.stdout ?? '';
  return {
    command: 'x',
    args: [],
    exitCode: 0,
    signal: null,
    stdout,
    stdoutBytes: Buffer.from(stdout),
    stderr: '',
    durationMs: 1,
    timedOut: false,
    truncated: false,
    ...over,
  };
}
