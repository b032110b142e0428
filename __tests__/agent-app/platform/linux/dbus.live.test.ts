/**
 * The D-Bus probes against a private, real dbus-daemon: a small service exports GNOME Mutter's
 * IdleMonitor and logind's Manager/Session interfaces, so the real client code path (dbus-next, the
 * connection pool, message building, reply decoding) runs end to end.
 */
import * as dbus from 'dbus-next';
import { createDbusPool, type DbusPool } from '../../../../agent-app/platform/linux/dbus';
import {
  createLogindIdleSource,
  listInhibitors,
  sleepBlockers,
} from '../../../../agent-app/platform/linux/logind';
import { createMutterIdleSource } from '../../../../agent-app/platform/linux/mutter-idle';
import { createLinuxPowerRequestProbe } from '../../../../agent-app/platform/linux/power-requests';
import { UnavailableError } from '../../../../common/errors';
import {
  exportLogindStandIn,
  startPrivateBus,
  type LogindSessionState,
  type PrivateBus,
} from '../../../helpers/private-dbus';

const { Interface } = dbus.interface;
let bus: PrivateBus;
let address: string;
let pool: DbusPool;
const state = { idleMs: 1234n, sessions: [] as LogindSessionState[], ids: ['1', '2'] };

class IdleMonitor extends Interface {
  GetIdletime() {
    return state.idleMs;
  }
}
IdleMonitor.configureMembers({ methods: { GetIdletime: { inSignature: '', outSignature: 't' } } });

beforeAll(async () => {
  bus = await startPrivateBus('agent-dbus-');
  address = bus.address;
  await bus.service.requestName('org.gnome.Mutter.IdleMonitor', 0);
  bus.service.export('/org/gnome/Mutter/IdleMonitor/Core', new IdleMonitor('org.gnome.Mutter.IdleMonitor'));
  await exportLogindStandIn(bus.service, state);
  pool = createDbusPool();
});

afterAll(async () => {
  await pool.close();
  await bus.stop();
});

const signal = () => new AbortController().signal;

describe('GNOME Mutter IdleMonitor', () => {
  it('reads GetIdletime in milliseconds and keeps the connection between reads', async () => {
    const source = createMutterIdleSource({ pool, addresses: async () => [address] });
    expect(await source.read(signal())).toEqual({ idleSeconds: 1.234, source: 'mutter' });
    state.idleMs = 905_000n;
    expect(await source.read(signal())).toEqual({ idleSeconds: 905, source: 'mutter' });
  });

  it('is unavailable when no bus has Mutter', async () => {
    const other = await startPrivateBus('agent-dbus2-');
    try {
      const source = createMutterIdleSource({
        pool,
        addresses: async () => [other.address, `${other.address}-missing`],
      });
      await expect(source.read(signal())).rejects.toBeInstanceOf(UnavailableError);
    } finally {
      await other.stop();
    }
  });
});

describe('logind', () => {
  it('lists inhibitors; only block locks on sleep count', async () => {
    const all = await listInhibitors(pool, address, signal());
    expect(all).toHaveLength(3);
    expect(sleepBlockers(all)).toEqual([{ who: 'Steam', why: 'Downloading a game', kind: 'sleep' }]);
    const probe = createLinuxPowerRequestProbe({
      pool,
      address,
      run: async () => Promise.reject(new Error('unused')),
      findOnPath: async () => null,
    });
    expect(await probe.read(signal())).toEqual({
      requests: [{ who: 'Steam', why: 'Downloading a game', kind: 'sleep' }],
      source: 'logind',
    });
  });

  it("reads graphical sessions' IdleHint/IdleSinceHint; no graphical session = unavailable", async () => {
    const now = Date.UTC(2026, 10, 26, 3, 0, 0);
    const source = createLogindIdleSource({ pool, address, now: () => now });
    state.sessions = [{ id: '1', type: 'tty', idle: false, since: 0n }];
    await expect(source.read(signal())).rejects.toBeInstanceOf(UnavailableError);
    state.sessions.push({ id: '2', type: 'wayland', idle: true, since: BigInt(now - 300_000) * 1000n });
    expect(await source.read(signal())).toEqual({ idleSeconds: 300, source: 'logind' });
    state.sessions[1].idle = false;
    expect(await source.read(signal())).toEqual({ idleSeconds: 0, source: 'logind' });
  });

  it('is unavailable without a system bus socket', async () => {
    const probe = createLinuxPowerRequestProbe({
      pool,
      address: `${address}-no-such-bus`,
      run: async () => Promise.reject(new Error('unused')),
      findOnPath: async () => null,
    });
    await expect(probe.read(signal())).rejects.toBeInstanceOf(UnavailableError);
  });
});
