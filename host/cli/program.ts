/**
 * The command-line program: global options, the commands (commands/index.ts), exit codes. Dispatch only:
 * each command's action loads what it needs when it runs.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError, EXIT, errorMessage, formatProblem } from '../../common/errors';
import { version } from '../../package.json';
import { COMMANDS } from './commands';
import type { GlobalOptions, Io } from './io';

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('proxmox-sleep')
    .description(
      'Sleep this Proxmox VE host when every monitored guest is idle; hibernate or shut down the guests first and bring them back after wake.',
    )
    .version(version, '-V, --version', 'print the version')
    .option('-c, --config <file>', 'configuration file (default: $CONFIG_FILE, else /etc/proxmox-sleep.conf)')
    .option('--json', 'print machine-readable JSON')
    .option(
      '--dry-run',
      'print the plan and change nothing (the commands that take it: sleep-now, pre-sleep, post-wake, hibernate, resume, tick, daemon)',
    )
    .showHelpAfterError('(run proxmox-sleep --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .exitOverride();
  program.addHelpText(
    'after',
    `
Exit codes: 0 success, 1 failure (for check: something is active), 64 usage error, 78 invalid configuration.
Environment: CONFIG_FILE names the configuration file; PROXMOX_SLEEP_STATE_DIR moves the state directory
(default /run/proxmox-sleep); any configuration key set in the environment overrides the file.`,
  );
  // The global --dry-run goes to the command's own option; a command without one refuses it.
  program.hook('preAction', (root, action) => {
    if (!root.opts<GlobalOptions>().dryRun) return;
    if (!action.options.some((o) => o.long === '--dry-run'))
      action.error(`error: --dry-run does not apply to '${action.name()}'`, {
        exitCode: EXIT.usage,
        code: 'proxmox-sleep.dryRunNotApplicable',
      });
    action.setOptionValue('dryRun', true);
  });
  for (const register of COMMANDS) register(program, io, setExit);
  return program;
}

/** Runs the CLI and returns the exit code. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return EXIT.ok;
      return EXIT.usage;
    }
    if (e instanceof ConfigError) {
      for (const p of e.problems) if (p.severity === 'error') io.stderr(`${formatProblem(p)}\n`);
      return EXIT.config;
    }
    io.stderr(`proxmox-sleep: ${errorMessage(e)}\n`);
    return EXIT.failure;
  }
}
