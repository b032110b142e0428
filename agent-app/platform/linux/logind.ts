/**
 * systemd-logind over the system bus: per-session IdleHint/IdleSinceHint of graphical sessions (the last
 * resort for input idle: set by the desktop, so unreliable on some) and ListInhibitors (sleep locks).
 */
import { UnavailableError } from '../../../common/errors';
import type { Inhibitor } from '../../../common/linux/systemd-inhibit';
import type { InputIdleReading } from '../../core/checks/input-idle';
import type { PowerRequest } from '../../core/checks/power-requests';
import { DbusCallError, toNumber, unwrap, type DbusPool } from './dbus';

const LOGIN1 = 'org.freedesktop.login1';
const MANAGER = {
  destination: LOGIN1,
  path: '/org/freedesktop/login1',
  interface: 'org.freedesktop.login1.Manager',
};

export type { Inhibitor };

/** `a(ssssuu)` rows of ListInhibitors. */
export function inhibitorsFromDbus(body: unknown[]): Inhibitor[] {
  const rows = Array.isArray(body[0]) ? (body[0] as unknown[]) : [];
  return rows
    .filter((row): row is unknown[] => Array.isArray(row) && row.length >= 6)
    .map(([what, who, why, mode, uid, pid]) => ({
      what: String(what),
      who: String(who),
      why: String(why),
      mode: String(mode),
      uid: toNumber(uid),
      pid: toNumber(pid),
    }));
}

/** Only `block` locks that include `sleep` stop a suspend; `delay` locks only postpone it. */
export function sleepBlockers(inhibitors: readonly Inhibitor[]): PowerRequest[] {
  return inhibitors
    .filter((i) => i.mode === 'block' && i.what.split(':').includes('sleep'))
    .map((i) => ({ who: i.who, why: i.why, kind: 'sleep' }));
}

export async function listInhibitors(
  pool: DbusPool,
  address: string,
  signal: AbortSignal,
): Promise<Inhibitor[]> {
  return inhibitorsFromDbus(await pool.call(address, { ...MANAGER, member: 'ListInhibitors' }, { signal }));
}

const GRAPHICAL = new Set(['x11', 'wayland', 'mir']);

export interface LogindSession {
  id: string;
  type: string;
  class: string;
  idleHint: boolean;
  /** Microseconds since the epoch. */
  idleSinceHint: number;
}

export const HINT_NEVER_SET =
  'no program in this session sets logind\'s idle hint (KDE Plasma on Wayland, sway, Hyprland: run swayidle with idlehint; docs/agent.md, "Wayland")';

/**
 * Seconds since the last input of the most recently used graphical session, or null without one. A
 * session whose hint says "not idle" counts as in use now; `neverSet` tells when that is only because
 * nothing ever set the hint (IdleSinceHint still 0), which keeps such a desktop "in use" for good.
 */
export function idleFromSessions(
  sessions: readonly LogindSession[],
  nowMs: number,
): { seconds: number; neverSet: boolean } | null {
  const graphical = sessions.filter((s) => GRAPHICAL.has(s.type) && s.class === 'user');
  if (graphical.length === 0) return null;
  const idleFor = (s: LogindSession) =>
    s.idleHint && s.idleSinceHint > 0 ? Math.max(0, nowMs / 1000 - s.idleSinceHint / 1e6) : 0;
  const seconds = Math.min(...graphical.map(idleFor));
  const neverSet = graphical.some((s) => idleFor(s) === seconds && !s.idleHint && s.idleSinceHint === 0);
  return { seconds, neverSet };
}

export function createLogindIdleSource(options: { pool: DbusPool; address: string; now?: () => number }) {
  const now = options.now ?? Date.now;
  return {
    name: 'logind',
    async read(signal: AbortSignal): Promise<InputIdleReading> {
      let listed: unknown[];
      try {
        listed = await options.pool.call(options.address, { ...MANAGER, member: 'ListSessions' }, { signal });
      } catch (e) {
        if (e instanceof DbusCallError && e.type === 'org.freedesktop.DBus.Error.ServiceUnknown')
          throw new UnavailableError('logind is not running', 'logind');
        throw e;
      }
      const rows = Array.isArray(listed[0]) ? (listed[0] as unknown[][]) : [];
      const sessions: LogindSession[] = [];
      for (const row of rows) {
        const [id, , , , path] = row;
        const [props] = await options.pool.call(
          options.address,
          {
            destination: LOGIN1,
            path: String(path),
            interface: 'org.freedesktop.DBus.Properties',
            member: 'GetAll',
            signature: 's',
            body: ['org.freedesktop.login1.Session'],
          },
          { signal },
        );
        const p = (props ?? {}) as Record<string, unknown>;
        sessions.push({
          id: String(id),
          type: String(unwrap(p.Type) ?? ''),
          class: String(unwrap(p.Class) ?? ''),
          idleHint: unwrap(p.IdleHint) === true,
          idleSinceHint: toNumber(unwrap(p.IdleSinceHint)),
        });
      }
      const idle = idleFromSessions(sessions, now());
      if (idle === null) throw new UnavailableError('no graphical login session', 'logind');
      return {
        idleSeconds: idle.seconds,
        source: 'logind',
        ...(idle.neverSet ? { note: HINT_NEVER_SET } : {}),
      };
    },
  };
}
