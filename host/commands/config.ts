import type { Command } from 'commander';
import { EXIT, formatProblem } from '../../common/errors';
import {
  GLOBAL_KEYS,
  GUEST_KEYS,
  GUEST_PREFIX,
  formatSource,
  guestRef,
  loadConfig,
  renderKeyHelp,
  type GlobalField,
  type GuestField,
  type GuestKey,
  type GlobalKey,
} from '../config';
import type { GlobalOptions, Io } from '../io';

export function registerConfig(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('config')
    .description('show the effective configuration and where each value came from (default, file:LINE, env)')
    .option('--keys', 'list every configuration key with its type, default and meaning')
    .action((options: { keys?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      if (options.keys) {
        io.stdout(renderKeyHelp());
        setExit(EXIT.ok);
        return;
      }
      const loaded = loadConfig({ configFile: globals.config, env: io.env });
      const { config, sources } = loaded;
      const globalEntries = (Object.keys(GLOBAL_KEYS) as GlobalField[]).map((field) => {
        const key = GLOBAL_KEYS[field] as GlobalKey<unknown>;
        return {
          key: key.name,
          value: config.global[field] as unknown,
          display: key.type.format(config.global[field] as never),
          source: formatSource(sources.global[field]),
        };
      });
      const guestEntries = config.guests.map((guest) => ({
        kind: guest.kind,
        id: guest.id,
        settings: (Object.keys(GUEST_KEYS) as GuestField[]).map((field) => {
          const key = GUEST_KEYS[field] as GuestKey<unknown>;
          return {
            key: `${GUEST_PREFIX[guest.kind]}_${guest.id}_${key.suffix}`,
            value: guest[field] as unknown,
            display: key.type.format(guest[field] as never),
            source: formatSource(sources.guests[guestRef(guest.kind, guest.id)][field]),
            applies: key.kinds.includes(guest.kind),
          };
        }),
      }));
      if (globals.json) {
        const asMap = (entries: { key: string; value: unknown; source: string }[]) =>
          Object.fromEntries(entries.map((e) => [e.key, { value: e.value, source: e.source }]));
        io.stdout(
          `${JSON.stringify(
            {
              file: config.file,
              state_dir: { value: config.stateDir, source: formatSource(sources.stateDir) },
              global: asMap(globalEntries),
              guests: guestEntries.map((g) => ({
                kind: g.kind,
                id: g.id,
                settings: asMap(g.settings.filter((s) => s.applies)),
              })),
              problems: loaded.problems,
              notes: loaded.notes,
            },
            null,
            2,
          )}\n`,
        );
      } else {
        const table = (rows: { key: string; display: string; source: string }[]) => {
          const width = Math.max(...rows.map((r) => r.key.length));
          const vwidth = Math.min(48, Math.max(...rows.map((r) => (r.display || '""').length)));
          return rows
            .map((r) => `  ${r.key.padEnd(width)}  ${(r.display || '""').padEnd(vwidth)}  ${r.source}\n`)
            .join('');
        };
        io.stdout(
          `configuration file: ${config.file ?? '(none)'}\nstate directory: ${config.stateDir} (${formatSource(sources.stateDir)})\n\nglobal:\n`,
        );
        io.stdout(table(globalEntries));
        for (const g of guestEntries) {
          io.stdout(`\n${g.kind === 'vm' ? 'VM' : 'container'} ${g.id}:\n`);
          io.stdout(table(g.settings.filter((s) => s.applies)));
        }
        if (loaded.problems.length) io.stdout('\n');
        for (const p of loaded.problems) io.stdout(`${formatProblem(p)}\n`);
        for (const n of loaded.notes) io.stdout(`note: ${n}\n`);
      }
      setExit(EXIT.ok);
    });
}
