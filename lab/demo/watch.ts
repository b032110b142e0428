/**
 * What the demo's view learns, from where it happens: the lab's own records (guest power events, the host's
 * suspend and wake, what guests showed their users: the pre-sleep warning) and the host tool's METRICS_FILE
 * (its verdict after every check: per guest state, reasons, idle time, the countdown). Files are polled and
 * only new content is read; nothing here asks the host tool anything.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'fs';
import * as path from 'path';
import type { LabPve } from '../pve/lab';
import { paths } from '../pve/state';

export interface MetricsGuest {
  kind: string;
  id: number;
  name: string;
  state: string;
  idleSeconds: number | null;
  reasons: string[];
}

export interface HostVerdict {
  maySleepNow: boolean;
  /** Seconds until sleep is due if everything stays idle; null while something is active. */
  countdownSeconds: number | null;
  guests: MetricsGuest[];
  checkedAt: number;
}

export type Observation =
  | { type: 'guest-event'; at: number; id: number; event: string; detail?: string }
  | { type: 'suspend'; at: number; event: string }
  | { type: 'warning'; at: number; id: number; text: string }
  | { type: 'verdict'; at: number; verdict: HostVerdict };

const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** Parses the host tool's Prometheus textfile (host/monitor/metrics.ts). */
export function parseMetrics(text: string): HostVerdict | null {
  const guests = new Map<string, MetricsGuest>();
  let mayNow: number | null = null;
  let countdown = -1;
  let checkedAt = 0;
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^(\w+)(?:\{(.*)\})? (-?[0-9.eE+]+)$/.exec(line);
    if (!m) continue;
    const [, name, labelText = '', valueText] = m;
    const value = Number(valueText);
    const labels: Record<string, string> = {};
    for (const l of labelText.matchAll(LABEL)) labels[l[1]] = l[2].replace(/\\(.)/g, '$1');
    const guest = () => {
      const key = `${labels.kind}:${labels.id}`;
      let g = guests.get(key);
      if (!g) {
        g = {
          kind: labels.kind,
          id: Number(labels.id),
          name: labels.name,
          state: 'unknown',
          idleSeconds: null,
          reasons: [],
        };
        guests.set(key, g);
      }
      return g;
    };
    if (name === 'proxmox_sleep_may_sleep_now') mayNow = value;
    else if (name === 'proxmox_sleep_countdown_seconds') countdown = value;
    else if (name === 'proxmox_sleep_last_check_timestamp_seconds') checkedAt = value * 1000;
    else if (name === 'proxmox_sleep_guest_idle') guest().state = labels.state;
    else if (name === 'proxmox_sleep_guest_idle_seconds') guest().idleSeconds = value;
    else if (name === 'proxmox_sleep_guest_active_reason' && value === 1) guest().reasons.push(labels.reason);
  }
  if (mayNow === null) return null;
  return {
    maySleepNow: mayNow === 1,
    countdownSeconds: countdown < 0 ? null : countdown,
    guests: [...guests.values()],
    checkedAt,
  };
}

/** New bytes of a growing file since the last call. */
class Tail {
  private offset = 0;
  private rest = '';
  constructor(private readonly file: string) {}

  lines(): string[] {
    if (!existsSync(this.file)) return [];
    const size = statSync(this.file).size;
    if (size <= this.offset) return [];
    const fd = openSync(this.file, 'r');
    try {
      const buf = Buffer.alloc(size - this.offset);
      readSync(fd, buf, 0, buf.length, this.offset);
      this.offset = size;
      const parts = (this.rest + buf.toString('utf8')).split('\n');
      this.rest = parts.pop() ?? '';
      return parts.filter(Boolean);
    } finally {
      closeSync(fd);
    }
  }
}

export interface Watcher {
  /** Reads whatever is new and returns it, oldest first. */
  poll(): Observation[];
}

export function watchDemo(lab: LabPve, metricsFile: string, guestIds: number[]): Watcher {
  const events = new Tail(paths(lab.dir).events);
  const suspends = new Tail(paths(lab.dir).suspends);
  const walls = guestIds.map((id) => ({ id, tail: new Tail(path.join(lab.guestDir(id), 'wall.log')) }));
  let metricsMtime = 0;
  return {
    poll() {
      const out: Observation[] = [];
      for (const line of events.lines()) {
        const e = JSON.parse(line) as { at: number; id: number; event: string; detail?: string };
        out.push({ type: 'guest-event', ...e });
      }
      for (const line of suspends.lines()) {
        const s = JSON.parse(line) as { at: number; event: string };
        out.push({ type: 'suspend', at: s.at, event: s.event });
      }
      for (const w of walls) {
        const text = w.tail.lines().join(' ').trim();
        if (text) out.push({ type: 'warning', at: Date.now(), id: w.id, text });
      }
      if (existsSync(metricsFile)) {
        const mtime = statSync(metricsFile).mtimeMs;
        if (mtime !== metricsMtime) {
          metricsMtime = mtime;
          const verdict = parseMetrics(readFileSync(metricsFile, 'utf8'));
          if (verdict) out.push({ type: 'verdict', at: verdict.checkedAt || Date.now(), verdict });
        }
      }
      return out.sort((a, b) => a.at - b.at);
    },
  };
}
