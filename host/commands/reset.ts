import type { Command } from 'commander';
import { EXIT } from '../../common/errors';
import { loadConfig } from '../config';
import type { GlobalOptions, Io } from '../io';
import { createMonitorStateStore } from '../state';

export function registerReset(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('reset')
    .description('restart the idle countdown: every idle streak counts from now')
    .action(async (_options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { config } = loadConfig({ configFile: globals.config, env: io.env });
      await createMonitorStateStore(config.stateDir).reset(Date.now());
      io.stdout(`idle countdown restarted (${config.stateDir})\n`);
      setExit(EXIT.ok);
    });
}
