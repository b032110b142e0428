/**
 * systemd timers that wake the machine (`WakeSystem=yes`), over the system bus: Manager.ListUnits for the
 * active `.timer` units, then each timer's properties. `NextElapseUSecRealtime` is wall-clock µs (calendar
 * timers); `NextElapseUSecMonotonic` is CLOCK_MONOTONIC µs (OnBootSec= and friends; systemd converts a wake
 * timer's boottime for this property), turned into wall-clock time with Node's clock, which on Linux is
 * CLOCK_MONOTONIC as well. 0 and USEC_INFINITY mean "not scheduled".
 */
import { UnavailableError } from '../../../common/errors';
import type { WakeRequest, WakeSource } from '../../core/wake/wake-request';
import { DbusCallError, toNumber, unwrap, type DbusPool } from './dbus';

const SYSTEMD1 = 'org.freedesktop.systemd1';
const MANAGER = {
  destination: SYSTEMD1,
  path: '/org/freedesktop/systemd1',
  interface: 'org.freedesktop.systemd1.Manager',
};
/**
 * What a bus says when nothing owns systemd's name (a guest without systemd as PID 1): unknown, or, where
 * the dbus package's activation file for it runs /bin/false, a failed spawn.
 */
const notThere = (type: string | null) =>
  type === 'org.freedesktop.DBus.Error.ServiceUnknown' ||
  type === 'org.freedesktop.DBus.Error.NameHasNoOwner' ||
  (type?.startsWith('org.freedesktop.DBus.Error.Spawn.') ?? false);
const TIMER_INTERFACE = 'org.freedesktop.systemd1.Timer';
/** USEC_INFINITY is 2^64-1; anything this large is "never". */
const NEVER_US = 2 ** 63;

export interface TimerUnit {
  name: string;
  path: string;
}

export interface TimerState {
  wakeSystem: boolean;
  /** µs since the epoch; 0 = none. */
  realtimeUs: number;
  /** µs of CLOCK_MONOTONIC; 0 = none. */
  monotonicUs: number;
  /** The unit it starts, e.g. backup.service. */
  unit: string;
}

/** The active `.timer` units among ListUnits' `a(ssssssouso)` rows (name, …, active state, …, path). */
export function activeTimers(body: unknown[]): TimerUnit[] {
  const rows = Array.isArray(body[0]) ? (body[0] as unknown[]) : [];
  return rows
    .filter((row): row is unknown[] => Array.isArray(row) && row.length >= 7)
    .filter(([name, , , active]) => String(name).endsWith('.timer') && active === 'active')
    .map(([name, , , , , , path]) => ({ name: String(name), path: String(path) }));
}

/** The Timer interface's GetAll answer (a{sv}). */
export function timerState(props: Record<string, unknown>): TimerState {
  return {
    wakeSystem: unwrap(props.WakeSystem) === true,
    realtimeUs: toNumber(unwrap(props.NextElapseUSecRealtime)),
    monotonicUs: toNumber(unwrap(props.NextElapseUSecMonotonic)),
    unit: String(unwrap(props.Unit) ?? ''),
  };
}

const scheduled = (us: number) => Number.isFinite(us) && us > 0 && us < NEVER_US;

/** When a wake timer next elapses (ms since the epoch), or null for a timer that does not wake or is idle. */
export function timerWakeAt(timer: TimerState, nowMs: number, monotonicNowUs: number): number | null {
  if (!timer.wakeSystem) return null;
  const times: number[] = [];
  if (scheduled(timer.realtimeUs)) times.push(timer.realtimeUs / 1000);
  if (scheduled(timer.monotonicUs)) times.push(nowMs + (timer.monotonicUs - monotonicNowUs) / 1000);
  return times.length === 0 ? null : Math.min(...times);
}

const monotonicNowUs = () => Number(process.hrtime.bigint() / 1000n);

export function createSystemdWakeSource(options: {
  pool: DbusPool;
  address: string;
  monotonicUs?: () => number;
}): WakeSource {
  const { pool, address } = options;
  const monotonic = options.monotonicUs ?? monotonicNowUs;
  const timerProperties = async (path: string, signal: AbortSignal) => {
    const [props] = await pool.call(
      address,
      {
        destination: SYSTEMD1,
        path,
        interface: 'org.freedesktop.DBus.Properties',
        member: 'GetAll',
        signature: 's',
        body: [TIMER_INTERFACE],
      },
      { signal },
    );
    return timerState((props ?? {}) as Record<string, unknown>);
  };
  return {
    name: 'systemd-timers',
    close: () => pool.close(),
    async read(signal, now) {
      let listed: unknown[];
      try {
        listed = await pool.call(address, { ...MANAGER, member: 'ListUnits' }, { signal });
      } catch (e) {
        if (e instanceof DbusCallError && notThere(e.type))
          throw new UnavailableError(`systemd does not answer on the system bus (${e.type})`, 'systemd');
        throw e;
      }
      const requests: WakeRequest[] = [];
      for (const timer of activeTimers(listed)) {
        const state = await timerProperties(timer.path, signal);
        const at = timerWakeAt(state, now, monotonic());
        const starts = state.unit ? ` (starts ${state.unit})` : '';
        if (at !== null) requests.push({ at, source: `systemd timer ${timer.name}${starts}` });
      }
      return requests;
    },
  };
}
