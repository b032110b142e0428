/** What the shell seam (shell.ts) takes and returns, on every platform. */

export interface RunOptions {
  /** Kill the command (and its children) after this long. Required: every wait has a timeout. */
  timeoutMs?: number;
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kill the command once stdout exceeds this many bytes (untrusted output, e.g. from a guest). */
  maxOutputBytes?: number;
  signal?: AbortSignal;
}

export interface RunResult {
  command: string;
  args: readonly string[];
  /** null when killed by a signal. */
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  /** stdout went past maxOutputBytes; the command was killed and stdout is cut there. */
  truncated: boolean;
}

export type Runner = (command: string, args: readonly string[], options?: RunOptions) => Promise<RunResult>;

/** Exit code bash uses when the command does not exist (the Windows runner answers the same). */
export const COMMAND_NOT_FOUND = 127;

/** Collects a command's stdout up to `max` bytes; `onOverflow` runs once when it goes past. */
export function cappedOutput(max: number, onOverflow: () => void) {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let truncated = false;
  return {
    push(chunk: Buffer) {
      if (bytes < max) chunks.push(chunk.subarray(0, max - bytes));
      bytes += chunk.length;
      if (bytes > max && !truncated) {
        truncated = true;
        onOverflow();
      }
    },
    truncated: () => truncated,
    bytes: () => Buffer.concat(chunks),
  };
}
