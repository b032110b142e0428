/** Telling "the command does not exist" from a command that failed; free of zx, so core code can use it. */

/** Exit code bash uses when the command does not exist. */
export const COMMAND_NOT_FOUND = 127;

export function commandMissing(result: { exitCode: number | null; stderr: string }): boolean {
  return result.exitCode === COMMAND_NOT_FOUND && /command not found|No such file/.test(result.stderr);
}
