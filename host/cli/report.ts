/**
 * The report `check` and `status` print, as data: the decision, where each guest's status is read from,
 * the configuration's state, the sleep sequence (`status` only). Built here from an evaluation; rendered
 * as text (render-text.ts) or JSON (render-json.ts). No decisions are made here.
 */
import type { ConfigProblem } from '../../common/errors';
import { guestRef, hasErrors, type LoadedConfig } from '../config';
import type { Evaluation } from '../monitor/evaluate';
import { label, type EvidenceItem, type GuestVerdict, type Verdict } from '../policy';
import type { SleepSummary } from '../sequence';
import type { Wired } from '../wiring';

export interface Report {
  node: string;
  now: number;
  configFile: string | null;
  problems: ConfigProblem[];
  misconfigured: boolean;
  verdict: Verdict;
  reasons: string[];
  idleThresholdMinutes: number;
  checkIntervalSeconds: number;
  lastTickAt: number | null;
  /** Per guest key: where its status is read from. */
  sources: Record<string, string>;
  warnings: string[];
  /** The sleep sequence: in progress, last run, pending resumes (`status` only). */
  sleep?: SleepSummary;
}

export function buildReport(
  loaded: LoadedConfig,
  wired: Pick<Wired, 'proxmox' | 'channels' | 'warnings'>,
  evaluation: Evaluation,
): Report {
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

/**
 * The one measurement that best says why a guest is in its state ("GPU 85% > 10%", "running: steam.exe",
 * "input 12s ago"): the first evidence item in the guest's own state, else the first that is unknown.
 */
export function strongestEvidence(g: GuestVerdict): EvidenceItem | null {
  if (g.state !== 'active' && g.state !== 'idle') return null;
  return g.evidence.find((e) => e.state === g.state) ?? g.evidence.find((e) => e.state === 'unknown') ?? null;
}

/** The decision's own notes, then every guest's. */
export function allNotes(v: Verdict): string[] {
  return [...v.notes, ...v.guests.flatMap(guestNotes)];
}

export function guestNotes(g: GuestVerdict): string[] {
  return g.notes.map((n) => `${label(g)}: ${n}`);
}
