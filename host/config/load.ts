/**
 * Resolves the effective configuration: defaults < file < environment, the legacy VMID shim, per-guest
 * inheritance, and validation. Loading never throws for bad values: every problem is collected with
 * file:line and key, and an invalid value is replaced by the previous release's runtime fallback, so the
 * sleep hook can still resume guests with a broken file. Commands that need a valid config call
 * `requireValid` (exit 78).
 */
import { readFileSync, statSync } from 'fs';
import { ConfigError, type ConfigProblem } from '../../common/errors';
import {
  ENV_ONLY,
  GLOBAL_KEYS,
  GUEST_KEYS,
  GUEST_PREFIX,
  KIND_LABEL,
  type GlobalConfig,
  type GlobalField,
  type GlobalKey,
  type GuestField,
  type GuestKey,
  type GuestKind,
  type GuestSettings,
} from './keys';
import { planLegacyShim } from './legacy';
import { parseShellAssignments } from './shell-assignments';
import { suggest } from './suggest';
import { guestRef, type ConfigSources, type GuestConfig, type HostConfig, type Source } from './types';
import { parseGuestId } from './value-types';

export const DEFAULT_CONFIG_FILE = '/etc/proxmox-sleep.conf';
export const DEFAULT_STATE_DIR = '/run/proxmox-sleep';
const MAX_CONFIG_BYTES = 1024 * 1024;

export type Env = Record<string, string | undefined>;

export interface LoadedConfig {
  config: HostConfig;
  sources: ConfigSources;
  problems: ConfigProblem[];
  /** What the legacy shim did, for the user. */
  notes: string[];
}

interface Raw {
  value: string;
  source: Source;
}

const GUEST_KEY_PATTERN = /^(VM|CONTAINER)_([0-9]+)_([A-Za-z0-9_]+)$/;
const GLOBAL_NAMES = Object.values(GLOBAL_KEYS).map((k) => k.name);
const GUEST_SUFFIXES = Object.values(GUEST_KEYS).map((k) => k.suffix);

/** Which file to read: --config, then CONFIG_FILE, then /etc/proxmox-sleep.conf. */
export function configFileFor(explicit: string | undefined, env: Env): { file: string; explicit: boolean } {
  if (explicit) return { file: explicit, explicit: true };
  if (env.CONFIG_FILE) return { file: env.CONFIG_FILE, explicit: true };
  return { file: DEFAULT_CONFIG_FILE, explicit: false };
}

/** Reads the file (if any) and resolves the configuration. */
export function loadConfig(options: { configFile?: string; env: Env }): LoadedConfig {
  const { file, explicit } = configFileFor(options.configFile, options.env);
  const problems: ConfigProblem[] = [];
  let text: string | null = null;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    if (stat.size > MAX_CONFIG_BYTES) {
      problems.push({
        severity: 'error',
        file,
        line: null,
        key: null,
        message: `is ${stat.size} bytes; a configuration file may be at most 1 MiB`,
      });
    } else {
      const bytes = readFileSync(file);
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      if ((stat.mode & 0o002) !== 0) {
        problems.push({
          severity: 'warning',
          file,
          line: null,
          key: null,
          message: 'is writable by every user; it is read by root: chmod o-w it',
        });
      }
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
      problems.push({ severity: 'error', file, line: null, key: null, message: 'is not UTF-8 text' });
    } else if (code === 'ENOENT' && !explicit) {
      problems.push({
        severity: 'warning',
        file,
        line: null,
        key: null,
        message: 'does not exist; using the environment and defaults',
      });
    } else {
      const why =
        code === 'ENOENT'
          ? 'does not exist'
          : code === 'EACCES'
            ? 'cannot be read (permission denied)'
            : code === 'EISDIR'
              ? 'is not a regular file'
              : `cannot be read (${code ?? String(e)})`;
      problems.push({ severity: 'error', file, line: null, key: null, message: why });
    }
  }
  const loaded = resolveConfig(text, text === null ? null : file, options.env);
  loaded.problems.unshift(...problems);
  if (text === null) loaded.config.file = null;
  return loaded;
}

/** Pure: resolves a configuration from the file's text (or null) and the environment. */
export function resolveConfig(text: string | null, file: string | null, env: Env): LoadedConfig {
  const problems: ConfigProblem[] = [];
  const notes: string[] = [];
  const fileValues = new Map<string, { value: string; line: number }>();
  const problem = (
    severity: ConfigProblem['severity'],
    key: string | null,
    message: string,
    source?: Source,
  ) => {
    const at = source ? locate(source) : null;
    const fromEnv = source !== undefined && at === null;
    problems.push({
      severity,
      file: at ? at.file : fromEnv ? null : file,
      line: at ? at.line : null,
      key,
      message,
    });
  };

  if (text !== null) {
    const parsed = parseShellAssignments(text, file, (name) => env[name]);
    problems.push(...parsed.problems);
    for (const a of parsed.assignments) {
      const earlier = fileValues.get(a.key);
      if (earlier) {
        problems.push({
          severity: 'warning',
          file,
          line: a.line,
          key: a.key,
          message: `is also set on line ${earlier.line}; this later value wins`,
        });
      }
      fileValues.set(a.key, { value: a.value, line: a.line });
    }
  }

  const fileSource = (line: number): Source => ({ kind: 'file', file: file ?? '(text)', line });
  const raw = (name: string): Raw | undefined => {
    const e = env[name];
    if (e !== undefined) return { value: e, source: { kind: 'env' } };
    const f = fileValues.get(name);
    return f ? { value: f.value, source: fileSource(f.line) } : undefined;
  };

  reportUnknownKeys(fileValues, fileSource, problem);

  // Globals.
  const global = {} as Record<GlobalField, unknown>;
  const globalSources = {} as Record<GlobalField, Source>;
  for (const field of Object.keys(GLOBAL_KEYS) as GlobalField[]) {
    const key = GLOBAL_KEYS[field] as GlobalKey<unknown>;
    const given = raw(key.name);
    if (key.ignored && given && given.value !== '') problem('warning', key.name, key.ignored, given.source);
    const resolved = key.ignored
      ? undefined
      : resolveValue(key.name, key.type, raw(key.name), key.lenient ?? false, problem, () => key.default);
    global[field] = resolved ? resolved.value : key.default;
    globalSources[field] = resolved ? resolved.source : { kind: 'default' };
  }
  const g = global as GlobalConfig;

  // Settings that only work together.
  if (g.guestAgentAccess === 'api' && g.proxmoxApiUrl === '')
    problem(
      'error',
      'GUEST_AGENT_ACCESS',
      'is api, but PROXMOX_API_URL is not set (the API needs its URL and a token)',
      globalSources.guestAgentAccess,
    );
  if (g.proxmoxApiUrl !== '' && g.proxmoxApiTokenFile === '')
    problem(
      'error',
      'PROXMOX_API_TOKEN_FILE',
      'is required when PROXMOX_API_URL is set (a file holding USER@REALM!TOKENID=SECRET)',
      globalSources.proxmoxApiUrl,
    );

  // Guest lists, legacy shim, duplicates.
  const vmTokens = raw('VM_IDS');
  const legacy = planLegacyShim({
    vmIds: g.vmIds,
    vmid: g.vmid.split(/[\s,]+/).filter((t) => t !== ''),
    vmName: raw('VM_NAME')?.value,
    gamingProcesses: raw('GAMING_PROCESSES') === undefined ? undefined : g.gamingProcesses,
  });
  const legacyValues = new Map<string, Raw>();
  let vmIdSource = vmTokens?.source ?? ({ kind: 'default' } as Source);
  let vmIdTokens = g.vmIds;
  if (legacy) {
    const vmidSource = globalSources.vmid;
    vmIdTokens = legacy.vmIds;
    vmIdSource = { kind: 'legacy', key: 'VMID', origin: vmidSource };
    notes.push(...legacy.notes);
    for (const token of legacy.vmIds) {
      for (const m of legacy.migrations) {
        const origin = m.from === 'VMID' ? vmidSource : (raw(m.from)?.source ?? vmidSource);
        legacyValues.set(`VM_${token}_${m.suffix}`, {
          value: m.value,
          source: { kind: 'legacy', key: m.from, origin },
        });
      }
    }
  } else {
    if (g.vmid !== '' && g.vmIds.length > 0)
      problem(
        'warning',
        'VMID',
        'is ignored because VM_IDS is set (VMID is the legacy single-VM setting)',
        globalSources.vmid,
      );
    for (const legacyKey of ['VM_NAME', 'GAMING_PROCESSES']) {
      const r = raw(legacyKey);
      if (r && r.value !== '' && g.vmid === '')
        problem(
          'warning',
          legacyKey,
          'is a legacy key used only together with VMID; it has no effect here',
          r.source,
        );
      else if (r && r.value !== '' && g.vmIds.length > 0)
        problem(
          'warning',
          legacyKey,
          'is ignored because VM_IDS is set; use VM_<id>_NAME / VM_<id>_GAMING_PROCESSES',
          r.source,
        );
    }
  }

  const vmIds = validateIds('VM_IDS', vmIdTokens, vmIdSource, problem);
  const ctIds = validateIds('CONTAINER_IDS', g.containerIds, globalSources.containerIds, problem).filter(
    (id) => {
      if (!vmIds.includes(id)) return true;
      problem(
        'error',
        'CONTAINER_IDS',
        `${id} is also in VM_IDS; Proxmox IDs are unique, so it is managed as a VM only`,
        globalSources.containerIds,
      );
      return false;
    },
  );
  g.vmIds = vmIds.map(String);
  g.containerIds = ctIds.map(String);
  if (legacy) globalSources.vmIds = vmIdSource;
  if (vmIds.length === 0 && ctIds.length === 0) {
    problem(
      'error',
      'VM_IDS',
      'no guests are configured: set VM_IDS and/or CONTAINER_IDS (space-separated Proxmox IDs)',
      vmTokens?.source ?? (file ? fileSource(1) : undefined),
    );
  }

  // Guests.
  const guests: GuestConfig[] = [];
  const guestSources: ConfigSources['guests'] = {};
  const guestRaw = (name: string): Raw | undefined => raw(name) ?? legacyValues.get(name);
  for (const [kind, ids] of [
    ['vm', vmIds],
    ['ct', ctIds],
  ] as const) {
    for (const id of ids) {
      const { settings, sources } = resolveGuest(kind, id, g, globalSources, guestRaw, problem);
      guests.push({ kind, id, ...settings });
      guestSources[guestRef(kind, id)] = sources;
    }
  }
  reportKeysOfUnconfiguredGuests(fileValues, env, vmIds, ctIds, fileSource, problem);

  // State directory (environment only).
  const stateDirRaw = env.PROXMOX_SLEEP_STATE_DIR;
  let stateDir = DEFAULT_STATE_DIR;
  let stateDirSource: Source = { kind: 'default' };
  if (stateDirRaw !== undefined && stateDirRaw !== '') {
    if (!stateDirRaw.startsWith('/'))
      problem('error', 'PROXMOX_SLEEP_STATE_DIR', 'must be an absolute path', { kind: 'env' });
    else {
      stateDir = stateDirRaw;
      stateDirSource = { kind: 'env' };
    }
  }

  problems.sort(byPosition);
  return {
    config: { file, stateDir, global: g, guests },
    sources: { global: globalSources, guests: guestSources, stateDir: stateDirSource },
    problems,
    notes,
  };
}

/** The file position behind a source, following legacy and inherited values to their origin. */
function locate(source: Source): { file: string; line: number } | null {
  if (source.kind === 'file') return source;
  if (source.kind === 'legacy' || source.kind === 'inherited') return locate(source.origin);
  return null;
}

type ProblemFn = (
  severity: ConfigProblem['severity'],
  key: string | null,
  message: string,
  source?: Source,
) => void;

function resolveValue<T>(
  name: string,
  type: GlobalKey<T>['type'],
  r: Raw | undefined,
  lenient: boolean,
  problem: ProblemFn,
  fallbackValue: () => T,
): { value: T; source: Source } | undefined {
  if (r === undefined || (r.value === '' && type.emptyIsUnset)) return undefined;
  const parsed = type.parse(r.value);
  if (parsed.ok) return { value: parsed.value, source: r.source };
  const used =
    parsed.fallback === undefined ? `; using ${type.format(fallbackValue()) || '""'} until it is fixed` : '';
  problem(lenient ? 'warning' : 'error', name, `${parsed.message}${used}`, r.source);
  return parsed.fallback === undefined ? undefined : { value: parsed.fallback, source: r.source };
}

function validateIds(key: string, tokens: string[], source: Source, problem: ProblemFn): number[] {
  const ids: number[] = [];
  for (const token of tokens) {
    const parsed = parseGuestId(token);
    if (!parsed.ok) {
      problem('error', key, parsed.message, source);
      continue;
    }
    if (ids.includes(parsed.value)) {
      problem('error', key, `${parsed.value} is listed more than once; the duplicate is ignored`, source);
      continue;
    }
    ids.push(parsed.value);
  }
  return ids;
}

function resolveGuest(
  kind: GuestKind,
  id: number,
  global: GlobalConfig,
  globalSources: Record<GlobalField, Source>,
  raw: (name: string) => Raw | undefined,
  problem: ProblemFn,
): { settings: GuestSettings; sources: Record<GuestField, Source> } {
  const settings = {} as Record<GuestField, unknown>;
  const sources = {} as Record<GuestField, Source>;
  const label = `${KIND_LABEL[kind]} ${id}`;
  const keyName = (suffix: string) => `${GUEST_PREFIX[kind]}_${id}_${suffix}`;

  const defaultOf = (field: GuestField): { value: unknown; source: Source } => {
    const d = (GUEST_KEYS[field] as GuestKey<unknown>).default;
    if ('value' in d) return { value: d.value, source: { kind: 'default' } };
    if ('perKind' in d) return { value: d.perKind[kind], source: { kind: 'default' } };
    if ('computed' in d) return { value: d.computed(kind, id), source: { kind: 'default' } };
    return {
      value: global[d.fromGlobal],
      source: { kind: 'inherited', key: GLOBAL_KEYS[d.fromGlobal].name, origin: globalSources[d.fromGlobal] },
    };
  };

  for (const field of Object.keys(GUEST_KEYS) as GuestField[]) {
    const key = GUEST_KEYS[field] as GuestKey<unknown>;
    const name = keyName(key.suffix);
    const r = raw(name);
    if (!key.kinds.includes(kind)) {
      if (r && r.source.kind !== 'legacy')
        problem(
          'warning',
          name,
          `applies to ${key.kinds.map((k2) => KIND_LABEL[k2] + 's').join(' and ')} only; ignored for ${label}`,
          r.source,
        );
      const d = defaultOf(field);
      settings[field] = d.value;
      sources[field] = d.source;
      continue;
    }
    if (key.ignored && r && r.value !== '' && r.source.kind !== 'legacy')
      problem('warning', name, key.ignored, r.source);
    const resolved = key.ignored
      ? undefined
      : resolveValue(name, key.type, r, key.lenient ?? false, problem, () => defaultOf(field).value);
    const chosen = resolved ?? defaultOf(field);
    settings[field] = chosen.value;
    sources[field] = chosen.source;
  }

  const s = settings as GuestSettings;
  const src = (field: GuestField) => sources[field];
  if (kind === 'ct' && s.sleepAction === 'hibernate') {
    problem(
      'warning',
      keyName('SLEEP_ACTION'),
      `containers cannot hibernate; ${label} will be shut down instead`,
      src('sleepAction'),
    );
  }
  const vmOnly = ['qga-file', 'qga-exec', 'virtiofs'];
  if (kind === 'ct' && vmOnly.includes(s.transport)) {
    problem(
      'error',
      keyName('TRANSPORT'),
      `${s.transport} works for VMs only; containers use lxc, ssh or none`,
      src('transport'),
    );
    s.transport = 'lxc';
  }
  if (kind === 'vm' && s.transport === 'lxc') {
    problem(
      'error',
      keyName('TRANSPORT'),
      'lxc works for containers only; VMs use qga-file, qga-exec, ssh, virtiofs or none',
      src('transport'),
    );
    s.transport = 'qga-file';
  }
  if (s.transport === 'ssh' && s.sshTarget === '') {
    problem(
      'error',
      keyName('SSH_TARGET'),
      `is required because ${keyName('TRANSPORT')}=ssh`,
      src('transport'),
    );
  }
  if (s.transport === 'virtiofs' && s.virtiofsDir === '') {
    problem(
      'error',
      keyName('VIRTIOFS_DIR'),
      `is required because ${keyName('TRANSPORT')}=virtiofs`,
      src('transport'),
    );
  }
  if (s.statusPath !== '' && s.transport !== 'none' && !isPlausibleStatusPath(s.statusPath)) {
    problem('error', keyName('STATUS_PATH'), 'must be an absolute path (/… or C:\\…)', src('statusPath'));
    s.statusPath = '';
  }
  return { settings: s, sources };
}

function isPlausibleStatusPath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);
}

function reportUnknownKeys(
  fileValues: Map<string, { value: string; line: number }>,
  fileSource: (line: number) => Source,
  problem: ProblemFn,
): void {
  for (const [key, { line }] of fileValues) {
    if (GLOBAL_NAMES.includes(key)) continue;
    const at = fileSource(line);
    if (key in ENV_ONLY) {
      problem(
        'warning',
        key,
        'is read only from the environment (or --config); setting it in the file has no effect',
        at,
      );
      continue;
    }
    const m = GUEST_KEY_PATTERN.exec(key);
    if (m) {
      if (GUEST_SUFFIXES.includes(m[3])) continue;
      const near = suggest(m[3], GUEST_SUFFIXES);
      problem(
        'warning',
        key,
        `unknown setting ${m[3]} (ignored)${near ? ` — did you mean ${m[1]}_${m[2]}_${near}?` : ''}`,
        at,
      );
      continue;
    }
    const near = suggest(key, GLOBAL_NAMES) ?? guestKeyFor(key);
    const guestHint = /^(VM|CT|CONTAINER|LXC)_?[0-9]/i.test(key)
      ? ' (per-guest keys look like VM_<id>_<SETTING> or CONTAINER_<id>_<SETTING>)'
      : '';
    problem('warning', key, `unknown key (ignored)${near ? ` — did you mean ${near}?` : guestHint}`, at);
  }
}

/** `VM100_NAME`, `ct_200_monitor`, `LXC_200_NAME` → the per-guest key it most likely meant. */
function guestKeyFor(key: string): string | null {
  const m = /^(VM|CT|CONTAINER|LXC)_?([0-9]+)_?([A-Za-z0-9_]+)$/i.exec(key);
  if (!m) return null;
  const suffix = suggest(m[3], GUEST_SUFFIXES);
  if (!suffix) return null;
  return `${m[1].toUpperCase() === 'VM' ? 'VM' : 'CONTAINER'}_${m[2]}_${suffix}`;
}

function reportKeysOfUnconfiguredGuests(
  fileValues: Map<string, { value: string; line: number }>,
  env: Env,
  vmIds: number[],
  ctIds: number[],
  fileSource: (line: number) => Source,
  problem: ProblemFn,
): void {
  const reported = new Set<string>();
  const check = (key: string, source: Source) => {
    const m = GUEST_KEY_PATTERN.exec(key);
    if (!m || !GUEST_SUFFIXES.includes(m[3])) return;
    const id = Number(m[2]);
    const kind: GuestKind = m[1] === 'VM' ? 'vm' : 'ct';
    const configured = kind === 'vm' ? vmIds : ctIds;
    if (configured.includes(id) || reported.has(`${kind}:${id}`)) return;
    reported.add(`${kind}:${id}`);
    const list = kind === 'vm' ? 'VM_IDS' : 'CONTAINER_IDS';
    const other = kind === 'vm' ? ctIds.includes(id) : vmIds.includes(id);
    problem(
      'warning',
      key,
      other
        ? `${id} is configured as a ${kind === 'vm' ? 'container' : 'VM'}; ${m[1]}_${id}_* keys are ignored`
        : `${id} is not in ${list}, so its ${m[1]}_${id}_* keys are ignored`,
      source,
    );
  };
  for (const [key, { line }] of fileValues) check(key, fileSource(line));
  for (const key of Object.keys(env)) if (env[key] !== undefined) check(key, { kind: 'env' });
}

/** File problems in line order, then environment problems; stable otherwise. */
function byPosition(a: ConfigProblem, b: ConfigProblem): number {
  const rank = (p: ConfigProblem) => (p.file === null ? 1 : 0);
  return rank(a) - rank(b) || (a.line ?? Infinity) - (b.line ?? Infinity);
}

export function hasErrors(loaded: { problems: ConfigProblem[] }): boolean {
  return loaded.problems.some((p) => p.severity === 'error');
}

/** Throws ConfigError (exit 78) when any problem is an error. */
export function requireValid(loaded: LoadedConfig): HostConfig {
  if (hasErrors(loaded)) throw new ConfigError(loaded.problems);
  return loaded.config;
}
