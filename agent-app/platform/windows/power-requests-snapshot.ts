/**
 * The Windows power-request list as a small file: `powercfg /requests` needs administrator rights, the tray
 * runs as the user, so a task running as SYSTEM parses it (with the agent's own parser) and writes this
 * document next to the status file; the tray reads it and merges it into its status.
 *
 *   {"schema": 1, "written_at": "…", "interval_seconds": 10, "source": "powercfg",
 *    "requests": [{"who": "chrome.exe", "why": "Playing audio", "kind": "SYSTEM"}], "truncated": false,
 *    "error": null, "unavailable": false}
 *
 * `unavailable` is true when the error is that powercfg does not exist here, so the tray leaves the check out
 * (as the daemon does) instead of reporting it as unknown.
 *
 * It follows the status file's rules: versioned, UTF-8 JSON, safe text only, lists capped, at most
 * MAX_SNAPSHOT_BYTES, written atomically.
 */
import * as path from 'path';
import { z } from 'zod/v3';
import type { PowerRequest } from '../../core/checks/power-requests';
import { SAFE_TEXT_PATTERN } from '../../../common/unsafe-text';
import { protocolText } from '../../core/text';

export const SNAPSHOT_SCHEMA = 1;
export const MAX_SNAPSHOT_BYTES = 16 * 1024;
export const MAX_REQUESTS = 64;

const text = (max: number) => z.string().max(max).regex(SAFE_TEXT_PATTERN, 'contains control characters');

const SnapshotSchema = z
  .object({
    schema: z.literal(SNAPSHOT_SCHEMA),
    written_at: z.string().datetime({ offset: true }),
    interval_seconds: z.number().int().min(1).max(3600),
    source: text(32),
    requests: z
      .array(z.object({ who: text(128), why: text(200), kind: text(32) }).strict())
      .max(MAX_REQUESTS),
    /** True when requests were dropped to stay under the size limit. */
    truncated: z.boolean(),
    error: text(300).nullable(),
    unavailable: z.boolean(),
  })
  .strict();

export type PowerRequestSnapshot = z.infer<typeof SnapshotSchema>;

/** Where the SYSTEM task writes the list: a `system` folder next to the status file (see docs/tray.md). */
export function powerRequestsFile(statusFile: string): string {
  return path.join(path.dirname(statusFile), 'system', 'power-requests.json');
}

export function buildSnapshot(input: {
  requests: readonly PowerRequest[];
  now: number;
  intervalSeconds: number;
  source: string;
  error: string | null;
  /** The error says the tool does not exist (an UnavailableError). */
  unavailable?: boolean;
}): PowerRequestSnapshot {
  return {
    schema: SNAPSHOT_SCHEMA,
    written_at: new Date(input.now).toISOString(),
    interval_seconds: Math.max(1, Math.min(3600, Math.round(input.intervalSeconds))),
    source: protocolText(input.source, 32),
    requests: input.requests.slice(0, MAX_REQUESTS).map((r) => ({
      who: protocolText(r.who, 128),
      why: protocolText(r.why, 200),
      kind: protocolText(r.kind, 32),
    })),
    truncated: input.requests.length > MAX_REQUESTS,
    error: input.error === null ? null : protocolText(input.error, 300),
    unavailable: input.error !== null && input.unavailable === true,
  };
}

/** The file's bytes; drops requests from the end (marking it `truncated`) until it fits the cap. */
export function formatSnapshot(snapshot: PowerRequestSnapshot): string {
  let fitted = snapshot;
  let text = `${JSON.stringify(fitted)}\n`;
  while (Buffer.byteLength(text, 'utf8') > MAX_SNAPSHOT_BYTES && fitted.requests.length > 0) {
    const requests = fitted.requests.slice(0, Math.floor(fitted.requests.length / 2));
    fitted = { ...fitted, requests, truncated: true };
    text = `${JSON.stringify(fitted)}\n`;
  }
  return text;
}

export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

/** Validates the file's bytes; throws SnapshotError naming the first bad field. */
export function parseSnapshot(bytes: Uint8Array): PowerRequestSnapshot {
  if (bytes.byteLength > MAX_SNAPSHOT_BYTES)
    throw new SnapshotError(`larger than ${MAX_SNAPSHOT_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new SnapshotError(`not UTF-8 JSON (${e instanceof Error ? e.message.slice(0, 80) : 'unreadable'})`);
  }
  const result = SnapshotSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue.path.map(String).join('.') || '(document)';
    throw new SnapshotError(`${field}: ${issue.message}`);
  }
  return result.data;
}

/** How long a snapshot may be trusted: three of its own intervals, at least 30 s. */
export function snapshotMaxAgeMs(snapshot: Pick<PowerRequestSnapshot, 'interval_seconds'>): number {
  return Math.max(30, 3 * snapshot.interval_seconds) * 1000;
}

/** Null when fresh enough to use at `now`; else why not. */
export function staleness(snapshot: PowerRequestSnapshot, now: number): string | null {
  const written = Date.parse(snapshot.written_at);
  const age = now - written;
  if (age < -60_000) return `it is dated ${Math.round(-age / 1000)} s in the future`;
  if (age > snapshotMaxAgeMs(snapshot)) return `it is ${Math.round(age / 1000)} s old`;
  return null;
}
