/**
 * Runs an OS tool a probe reads (powercfg, pmset …) through the shell seam and returns its output: the
 * first of its file names found on PATH, else UnavailableError (the probe does not exist here); a non-zero
 * exit is an error that quotes the start of the output.
 */
import { UnavailableError } from '../../../common/errors';
import type { Runner } from '../../../common/shell';
import type { PathLookup } from './commands';

export interface ToolCall {
  /** The tool's name in messages, e.g. "powercfg". */
  tool: string;
  /** File names to look for on PATH, in order; [tool] when absent. */
  names?: readonly string[];
  args: readonly string[];
  maxOutputBytes: number;
}

export async function runTool(
  deps: { run: Runner; findOnPath: PathLookup },
  call: ToolCall,
  signal: AbortSignal,
): Promise<string> {
  let path: string | null = null;
  for (const name of call.names ?? [call.tool]) path ??= await deps.findOnPath(name);
  if (!path) throw new UnavailableError(`${call.tool} is not available`, call.tool);
  const result = await deps.run(path, call.args, {
    signal,
    timeoutMs: 5000,
    maxOutputBytes: call.maxOutputBytes,
  });
  if (result.exitCode !== 0) {
    const excerpt = result.stdout.trim().slice(0, 160);
    throw new Error(
      `${call.tool} ${call.args.join(' ')} exited ${result.exitCode}${excerpt ? `: ${excerpt}` : ''}`,
    );
  }
  return result.stdout;
}
