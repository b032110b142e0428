/**
 * `systemd-inhibit --list` output, both layouts systemd has printed:
 * - the table (WHO UID USER PID COMM WHAT WHY MODE, then "N inhibitors listed."). WHO, COMM and WHY may
 *   contain spaces, so a row is anchored on the numeric UID and PID columns and on WHAT, which is a
 *   colon-joined list of known words;
 * - the older blocks of `Who:` / `What:` / `Why:` / `Mode:` lines.
 * Used by the agent's power-request check and the host's CHECK_SLEEP_INHIBITORS.
 */

/** One logind inhibitor lock, as `systemd-inhibit --list` and logind's ListInhibitors describe it. */
export interface Inhibitor {
  /** Colon-joined lock types, e.g. `sleep:idle`. */
  what: string;
  who: string;
  why: string;
  mode: string;
  uid: number;
  pid: number;
}

const WHAT = /^(shutdown|sleep|idle|handle-[a-z-]+)(:(shutdown|sleep|idle|handle-[a-z-]+))*$/;
const MODE = /^(block|block-weak|delay)$/;

function parseRow(line: string): Inhibitor | null {
  const f = line.trim().split(/\s+/);
  if (f.length < 7 || !MODE.test(f[f.length - 1])) return null;
  for (let u = 1; u + 3 < f.length - 1; u++) {
    if (!/^\d+$/.test(f[u]) || !/^\d+$/.test(f[u + 2])) continue;
    for (let w = u + 4; w < f.length - 1; w++) {
      if (!WHAT.test(f[w])) continue;
      return {
        who: f.slice(0, u).join(' '),
        uid: Number(f[u]),
        pid: Number(f[u + 2]),
        what: f[w],
        why: f.slice(w + 1, f.length - 1).join(' '),
        mode: f[f.length - 1],
      };
    }
  }
  return null;
}

function parseBlocks(text: string): Inhibitor[] {
  const out: Inhibitor[] = [];
  let current: Partial<Inhibitor> & { seen?: boolean } = {};
  const flush = () => {
    if (current.what && current.mode) {
      out.push({
        who: current.who ?? '',
        why: current.why ?? '',
        what: current.what,
        mode: current.mode,
        uid: current.uid ?? -1,
        pid: current.pid ?? -1,
      });
    }
    current = {};
  };
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*(Who|What|Why|Mode):\s?(.*)$/.exec(raw);
    if (!m) {
      if (raw.trim() === '') flush();
      continue;
    }
    const value = m[2].trim();
    if (m[1] === 'Who') {
      if (current.what) flush();
      const detail = /^(.*) \(UID (\d+)\/[^,]*, PID (\d+)\/.*\)$/.exec(value);
      current.who = detail ? detail[1] : value;
      if (detail) [current.uid, current.pid] = [Number(detail[2]), Number(detail[3])];
    } else if (m[1] === 'What') current.what = value;
    else if (m[1] === 'Why') current.why = value;
    else current.mode = value;
  }
  flush();
  return out;
}

export function parseSystemdInhibitList(text: string): Inhibitor[] {
  if (/^\s*(Who|What):/m.test(text)) return parseBlocks(text);
  const out: Inhibitor[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*WHO\s+UID\s+USER/.test(line) || /inhibitors? listed/.test(line) || line.trim() === '') continue;
    const row = parseRow(line);
    if (row) out.push(row);
  }
  return out;
}
