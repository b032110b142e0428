/** What `validate` and `config` do, loaded when one of them runs. */
import { EXIT, formatProblem } from '../../../common/errors';
import {
  GLOBAL_KEYS,
  GUEST_KEYS,
  GUEST_PREFIX,
  KIND_LABEL,
  formatSource,
  guestRef,
  hasErrors,
  loadConfig,
  renderKeyHelp,
  type GlobalField,
  type GlobalKey,
  type GuestField,
  type GuestKey,
  type LoadedConfig,
} from '../../config';
import { checkGuestsExist } from '../../config/guest-existence';
import { wireShell } from '../../wiring';
import { printJson, type GlobalOptions, type Io } from '../io';

export async function validate(
  io: Io,
  globals: GlobalOptions,
  options: { guestCheck: boolean },
): Promise<number> {
  const loaded = loadConfig({ configFile: globals.config, env: io.env });
  if (options.guestCheck && loaded.config.guests.length > 0)
    loaded.problems.push(...(await checkGuestsExist(loaded.config, wireShell(io.env))));
  const valid = !hasErrors(loaded);
  if (globals.json)
    printJson(io, {
      valid,
      file: loaded.config.file,
      guests: loaded.config.guests.map((g) => ({ kind: g.kind, id: g.id, name: g.name })),
      problems: loaded.problems,
      notes: loaded.notes,
    });
  else io.stdout(validationText(loaded, valid));
  return valid ? EXIT.ok : EXIT.config;
}

function validationText(loaded: LoadedConfig, valid: boolean): string {
  const errors = loaded.problems.filter((p) => p.severity === 'error').length;
  const warnings = loaded.problems.length - errors;
  const where = loaded.config.file ?? 'environment and defaults';
  const guests = loaded.config.guests.map((g) => `${KIND_LABEL[g.kind]} ${g.id} "${g.name}"`).join(', ');
  const count = loaded.config.guests.length;
  const summary = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  return [
    `${where}: ${count} guest${count === 1 ? '' : 's'}${guests ? ` (${guests})` : ''}`,
    ...loaded.problems.map(formatProblem),
    ...loaded.notes.map((n) => `note: ${n}`),
    valid ? `configuration is valid (${summary})` : `configuration is INVALID (${summary})`,
    '',
  ].join('\n');
}

export function showConfig(io: Io, globals: GlobalOptions, options: { keys?: boolean }): number {
  if (options.keys) {
    io.stdout(renderKeyHelp());
    return EXIT.ok;
  }
  const loaded = loadConfig({ configFile: globals.config, env: io.env });
  const entries = configEntries(loaded);
  if (globals.json) printJson(io, configJson(loaded, entries));
  else io.stdout(configText(loaded, entries));
  return EXIT.ok;
}

interface Entry {
  key: string;
  value: unknown;
  display: string;
  source: string;
}

/** Every key with its value and where the value came from: the global ones, then each guest's that apply. */
function configEntries({ config, sources }: LoadedConfig) {
  const global: Entry[] = (Object.keys(GLOBAL_KEYS) as GlobalField[]).map((field) => {
    const key = GLOBAL_KEYS[field] as GlobalKey<unknown>;
    return {
      key: key.name,
      value: config.global[field] as unknown,
      display: key.type.format(config.global[field] as never),
      source: formatSource(sources.global[field]),
    };
  });
  const guests = config.guests.map((guest) => ({
    kind: guest.kind,
    id: guest.id,
    settings: (Object.keys(GUEST_KEYS) as GuestField[])
      .filter((field) => GUEST_KEYS[field].kinds.includes(guest.kind))
      .map((field): Entry => {
        const key = GUEST_KEYS[field] as GuestKey<unknown>;
        return {
          key: `${GUEST_PREFIX[guest.kind]}_${guest.id}_${key.suffix}`,
          value: guest[field] as unknown,
          display: key.type.format(guest[field] as never),
          source: formatSource(sources.guests[guestRef(guest.kind, guest.id)][field]),
        };
      }),
  }));
  return { global, guests };
}

type Entries = ReturnType<typeof configEntries>;

function configJson(loaded: LoadedConfig, entries: Entries) {
  const asMap = (list: Entry[]) =>
    Object.fromEntries(list.map((e) => [e.key, { value: e.value, source: e.source }]));
  return {
    file: loaded.config.file,
    state_dir: { value: loaded.config.stateDir, source: formatSource(loaded.sources.stateDir) },
    global: asMap(entries.global),
    guests: entries.guests.map((g) => ({ kind: g.kind, id: g.id, settings: asMap(g.settings) })),
    problems: loaded.problems,
    notes: loaded.notes,
  };
}

function configText(loaded: LoadedConfig, entries: Entries): string {
  const { config, sources } = loaded;
  const table = (rows: Entry[]) => {
    const width = Math.max(...rows.map((r) => r.key.length));
    const vwidth = Math.min(48, Math.max(...rows.map((r) => (r.display || '""').length)));
    return rows
      .map((r) => `  ${r.key.padEnd(width)}  ${(r.display || '""').padEnd(vwidth)}  ${r.source}\n`)
      .join('');
  };
  const out = [
    `configuration file: ${config.file ?? '(none)'}\nstate directory: ${config.stateDir} (${formatSource(sources.stateDir)})\n\nglobal:\n`,
    table(entries.global),
    ...entries.guests.map((g) => `\n${g.kind === 'vm' ? 'VM' : 'container'} ${g.id}:\n${table(g.settings)}`),
    loaded.problems.length ? '\n' : '',
    ...loaded.problems.map((p) => `${formatProblem(p)}\n`),
    ...loaded.notes.map((n) => `note: ${n}\n`),
  ];
  return out.join('');
}
