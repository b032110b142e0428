import type { Command } from 'commander';
import { EXIT, formatProblem } from '../../common/errors';
import { createRunner } from '../../common/shell';
import { hasErrors, KIND_LABEL, loadConfig } from '../config';
import { checkGuestsExist } from '../config/guest-existence';
import type { GlobalOptions, Io } from '../io';

export function registerValidate(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('validate')
    .description('check the configuration and list every problem with file:line (exit 0 valid, 78 invalid)')
    .option('--no-guest-check', 'do not ask qm/pct whether the configured guests exist')
    .action(async (options: { guestCheck: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const loaded = loadConfig({ configFile: globals.config, env: io.env });
      if (options.guestCheck && loaded.config.guests.length > 0) {
        loaded.problems.push(
          ...(await checkGuestsExist(loaded.config, createRunner({ timeoutMs: 15000, env: io.env }))),
        );
      }
      const valid = !hasErrors(loaded);
      const errors = loaded.problems.filter((p) => p.severity === 'error').length;
      const warnings = loaded.problems.length - errors;
      if (globals.json) {
        io.stdout(
          `${JSON.stringify(
            {
              valid,
              file: loaded.config.file,
              guests: loaded.config.guests.map((g) => ({ kind: g.kind, id: g.id, name: g.name })),
              problems: loaded.problems,
              notes: loaded.notes,
            },
            null,
            2,
          )}\n`,
        );
      } else {
        const where = loaded.config.file ?? 'environment and defaults';
        const guests = loaded.config.guests
          .map((g) => `${KIND_LABEL[g.kind]} ${g.id} "${g.name}"`)
          .join(', ');
        io.stdout(
          `${where}: ${loaded.config.guests.length} guest${loaded.config.guests.length === 1 ? '' : 's'}${guests ? ` (${guests})` : ''}\n`,
        );
        for (const p of loaded.problems) io.stdout(`${formatProblem(p)}\n`);
        for (const n of loaded.notes) io.stdout(`note: ${n}\n`);
        const summary = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
        io.stdout(
          valid ? `configuration is valid (${summary})\n` : `configuration is INVALID (${summary})\n`,
        );
      }
      setExit(valid ? EXIT.ok : EXIT.config);
    });
}
