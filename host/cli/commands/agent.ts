import { Argument, type Command } from 'commander';
import type { AgentAction } from '../actions/agent';
import type { GlobalOptions, RegisterCommand } from '../io';

export const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('agent')
    .description(
      "talk to one guest's agent: `status` prints its status document, `ping` checks that it answers, `hibernate` / `shutdown` ask it to put its guest away (nothing is recorded: the guest is not resumed after a wake)",
    )
    .argument('<id>', 'guest ID (as in VM_IDS or CONTAINER_IDS)')
    .addArgument(new Argument('<action>', 'what to do').choices(['status', 'ping', 'hibernate', 'shutdown']))
    .action(async (id: string, action: AgentAction, _options: unknown, command: Command) => {
      const { talkToAgent } = await import('../actions/agent');
      setExit(await talkToAgent(io, command.optsWithGlobals<GlobalOptions>(), id, action));
    });
};
