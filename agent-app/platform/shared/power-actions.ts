/** Power actions as OS commands run through the shell seam; each OS supplies its command table. */
import type { Runner } from '../../../common/shell';
import type { PowerAction, PowerActions } from '../../core/commands';
import type { PathLookup } from './commands';

export type PowerCommandTable = Record<PowerAction, { command: string; args: readonly string[] }>;

export function createCommandPowerActions(
  table: PowerCommandTable,
  deps: { run: Runner; findOnPath: PathLookup },
): PowerActions {
  return {
    async precheck(action) {
      const { command } = table[action];
      return (await deps.findOnPath(command)) ? null : `${command} not found on PATH`;
    },
    async perform(action) {
      const { command, args } = table[action];
      const tool = (await deps.findOnPath(command)) ?? command;
      const result = await deps.run(tool, args, { timeoutMs: 60_000 });
      if (result.exitCode !== 0) {
        const said = (result.stderr || result.stdout).trim().split(/\r?\n/).slice(0, 3).join(' ');
        throw new Error(
          `${[command, ...args].join(' ')} exited ${result.exitCode ?? result.signal}${said ? `: ${said}` : ''}`,
        );
      }
    },
  };
}
