/**
 * The agent configuration: one JSON file (`/etc/proxmox-sleep/agent.json` on Linux), validated with zod.
 * Every key has a default, so an empty file (or `{}`) works; unknown keys are errors, so a typo is caught
 * instead of silently ignored. Every problem names its field, e.g. `checks.gpu.thresholdPercent`.
 *
 * zod's v3 API is used on purpose: the resident daemon must stay small, and loading zod's v4 classic API
 * costs about 11 MB of RSS against about 2 MB for v3 (measured on Node 20; see docs/agent.md).
 */
import { promises as fs } from 'fs';
import { z } from 'zod/v3';
import { ConfigError, type ConfigProblem } from '../../common/errors';
import { DEFAULT_PATHS, type AgentOs } from './paths';

const Enabled = z.boolean().default(true);
const CheckName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );
const InterfacePattern = z
  .string()
  .regex(
    /^[A-Za-z0-9_.:@-]{1,15}\*?$/,
    'must be an interface name, optionally ending in * (e.g. "eth0", "veth*")',
  );
const Path = z.string().min(1).max(4096);

const InputSchema = z
  .object({
    enabled: Enabled,
    activeWithinSeconds: z.number().int().min(1).max(86400).default(60),
    sources: z
      .array(z.enum(['x11', 'mutter', 'kde', 'logind']))
      .min(1)
      .default(['x11', 'mutter', 'kde', 'logind']),
    x11Displays: z
      .array(z.string().regex(/^:\d{1,4}(\.\d{1,2})?$/, 'must be a local X display such as ":0"'))
      .default([]),
    xauthority: Path.nullable().default(null),
  })
  .strict();

const GpuSchema = z
  .object({
    enabled: Enabled,
    thresholdPercent: z.number().min(0).max(100).default(10),
    vendor: z.enum(['auto', 'nvidia', 'amd']).default('auto'),
  })
  .strict();

const PowerRequestsSchema = z
  .object({
    enabled: Enabled,
    ignore: z.array(z.string().min(1).max(200)).max(64).default([]),
  })
  .strict();

const ProcessesSchema = z
  .object({
    names: z.array(z.string().trim().min(1).max(255)).max(64).default([]),
  })
  .strict();

const CpuSchema = z
  .object({
    enabled: Enabled,
    thresholdPercent: z.number().min(0).max(100).default(15),
    loadThreshold: z.number().min(0).max(100000).nullable().default(null),
  })
  .strict();

const NetworkSchema = z
  .object({
    enabled: Enabled,
    thresholdKbps: z.number().min(0).max(1e9).default(100),
    interfaces: z.array(InterfacePattern).max(64).default([]),
    excludeInterfaces: z.array(InterfacePattern).max(64).default(['lo']),
  })
  .strict();

const SessionsSchema = z
  .object({
    enabled: Enabled,
    kinds: z
      .array(z.enum(['ssh', 'tty', 'pts', 'x11']))
      .min(1)
      .default(['ssh', 'tty']),
  })
  .strict();

const CustomSchema = z
  .object({
    name: CheckName,
    command: z.array(z.string().min(1).max(4096)).min(1).max(64),
    timeoutSeconds: z.number().min(0.1).max(300).default(10),
  })
  .strict();

const WakeTimersSchema = z
  .object({
    enabled: Enabled,
    ignore: z.array(z.string().min(1).max(200)).max(64).default([]),
    refreshSeconds: z.number().int().min(1).max(3600).default(60),
  })
  .strict();

const ChecksSchema = z
  .object({
    input: InputSchema.default({}),
    gpu: GpuSchema.default({}),
    powerRequests: PowerRequestsSchema.default({}),
    processes: ProcessesSchema.default({}),
    cpu: CpuSchema.default({}),
    network: NetworkSchema.default({}),
    sessions: SessionsSchema.default({}),
    custom: z.array(CustomSchema).max(32).default([]),
  })
  .strict();

export const AgentConfigSchema = z
  .object({
    intervalSeconds: z.number().int().min(1).max(3600).default(10),
    statusFile: Path.optional(),
    stateDir: Path.optional(),
    checkTimeoutSeconds: z.number().min(0.1).max(300).default(5),
    unknownIs: z.enum(['idle', 'active']).default('idle'),
    hibernateCheck: z.boolean().default(true),
    log: z
      .object({
        level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
        format: z.enum(['text', 'json']).default('text'),
      })
      .strict()
      .default({}),
    checks: ChecksSchema.default({}),
    wakeTimers: WakeTimersSchema.default({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.checks.input.activeWithinSeconds < c.intervalSeconds) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['checks', 'input', 'activeWithinSeconds'],
        message: `must be at least intervalSeconds (${c.intervalSeconds}); otherwise input between two evaluations can go unseen`,
      });
    }
    const seen = new Set<string>();
    c.checks.custom.forEach((custom, i) => {
      if (seen.has(custom.name.toLowerCase()))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['checks', 'custom', i, 'name'],
          message: `"${custom.name}" is used twice`,
        });
      seen.add(custom.name.toLowerCase());
    });
  });

type Parsed = z.output<typeof AgentConfigSchema>;
export type AgentConfig = Omit<Parsed, 'statusFile' | 'stateDir'> & { statusFile: string; stateDir: string };
export type AgentConfigInput = z.input<typeof AgentConfigSchema>;
export type InputCheckConfig = AgentConfig['checks']['input'];
export type GpuCheckConfig = AgentConfig['checks']['gpu'];
export type PowerRequestsCheckConfig = AgentConfig['checks']['powerRequests'];
export type CpuCheckConfig = AgentConfig['checks']['cpu'];
export type NetworkCheckConfig = AgentConfig['checks']['network'];
export type SessionsCheckConfig = AgentConfig['checks']['sessions'];
export type CustomCheckConfig = AgentConfig['checks']['custom'][number];
export type WakeTimersConfig = AgentConfig['wakeTimers'];

function fieldPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    '',
  );
}

function problemsOf(error: z.ZodError, file: string | null): ConfigProblem[] {
  return error.issues.map((issue) => {
    const base = fieldPath(issue.path);
    if (issue.code === z.ZodIssueCode.unrecognized_keys) {
      const keys = issue.keys.map((k) => (base ? `${base}.${k}` : k));
      return {
        severity: 'error',
        file,
        line: null,
        key: keys.join(', '),
        message: `unknown key${keys.length > 1 ? 's' : ''} (see docs/agent.md for the keys of ${base || 'the top level'})`,
      };
    }
    return { severity: 'error', file, line: null, key: base || '(top level)', message: issue.message };
  });
}

/** Validates already-parsed JSON; throws ConfigError naming every bad field. */
export function parseAgentConfig(value: unknown, os: AgentOs, file: string | null = null): AgentConfig {
  const result = AgentConfigSchema.safeParse(value ?? {});
  if (!result.success) throw new ConfigError(problemsOf(result.error, file));
  const defaults = DEFAULT_PATHS[os];
  return {
    ...result.data,
    statusFile: result.data.statusFile ?? defaults.statusFile,
    stateDir: result.data.stateDir ?? defaults.stateDir,
  };
}

function jsonProblem(file: string, text: string, e: unknown): ConfigProblem {
  const message = e instanceof Error ? e.message : String(e);
  const at = /position (\d+)/.exec(message);
  let line: number | null = null;
  if (at) line = text.slice(0, Number(at[1])).split('\n').length;
  return {
    severity: 'error',
    file,
    line,
    key: null,
    message: `not valid JSON: ${message.replace(/\s+/g, ' ').slice(0, 200)}`,
  };
}

export interface LoadedAgentConfig {
  config: AgentConfig;
  /** The file read, or null when the default file does not exist and defaults are used. */
  file: string | null;
}

/**
 * Reads and validates the configuration. A missing file is fine when it is the default location (all
 * defaults apply); a file named explicitly must exist. An empty file means "all defaults".
 */
export async function loadAgentConfig(options: { file?: string; os: AgentOs }): Promise<LoadedAgentConfig> {
  const explicit = options.file !== undefined;
  const file = options.file ?? DEFAULT_PATHS[options.os].configFile;
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit) return { config: parseAgentConfig({}, options.os), file: null };
    throw new ConfigError([
      {
        severity: 'error',
        file,
        line: null,
        key: null,
        message: `cannot read the configuration: ${code ?? String(e)}`,
      },
    ]);
  }
  if (text.trim() === '') return { config: parseAgentConfig({}, options.os, file), file };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError([jsonProblem(file, text, e)]);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ConfigError([
      {
        severity: 'error',
        file,
        line: null,
        key: null,
        message: 'must be a JSON object such as {"intervalSeconds": 10}',
      },
    ]);
  }
  return { config: parseAgentConfig(json, options.os, file), file };
}
