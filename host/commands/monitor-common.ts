/** What check, status, tick, daemon, reset and agent share: loading the configuration and wiring. */
import type { Clock } from '../../common/clock';
import { formatText, type LogSink } from '../../common/log';
import { guestRef, hasErrors, loadConfig, requireValid, type LoadedConfig } from '../config';
import type { GlobalOptions, Io } from '../io';
import type { Evaluation } from '../observe/monitor';
import type { Report } from '../observe/render';
import { wire, type Wired } from '../wiring';

export interface Prepared {
  loaded: LoadedConfig;
  wired: Wired;
}

export interface PrepareOptions {
  /** Exit 78 on an invalid configuration (everything but `status`). */
  strict: boolean;
  logToFile?: boolean;
  /** Log only errors to stderr (check and status print their own report). */
  quiet?: boolean;
  clock?: Clock;
}

export function ioSink(io: Io, quiet: boolean): LogSink {
  return (record) => {
    if (quiet && record.level !== 'error') return;
    io.stderr(`${formatText(record)}\n`);
  };
}

export async function prepare(io: Io, globals: GlobalOptions, options: PrepareOptions): Promise<Prepared> {
  const loaded = loadConfig({ configFile: globals.config, env: io.env });
  if (options.strict) requireValid(loaded);
  const wired = await wire(loaded.config, {
    env: io.env,
    sink: ioSink(io, options.quiet ?? false),
    logToFile: options.logToFile,
    lenient: !options.strict,
    clock: options.clock,
  });
  return { loaded, wired };
}

export function buildReport(prepared: Prepared, evaluation: Evaluation): Report {
  const { loaded, wired } = prepared;
  const config = loaded.config;
  const sources: Record<string, string> = {};
  for (const g of config.guests) sources[guestRef(g.kind, g.id)] = wired.channels(g).describe();
  return {
    node: wired.proxmox.node,
    now: evaluation.now,
    configFile: config.file,
    problems: loaded.problems,
    misconfigured: hasErrors(loaded),
    verdict: evaluation.decision.verdict,
    reasons: evaluation.decision.reasons,
    idleThresholdMinutes: config.global.idleThresholdMinutes,
    checkIntervalSeconds: config.global.checkInterval,
    lastTickAt: evaluation.loaded.state.lastTickAt,
    sources,
    warnings: [...wired.warnings, ...evaluation.loaded.problems],
  };
}
