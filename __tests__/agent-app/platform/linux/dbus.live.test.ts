/**
 * The D-Bus probes against a private, real dbus-daemon: a small service exports GNOME Mutter's
 * IdleMonitor and logind's Manager/Session interfaces, so the real client code path (dbus-next, the
 * connection pool, message building, reply decoding) runs end to end.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import * as dbus from 'dbus-next';
import { $, type ProcessPromise } from 'zx';
import { createDbusPool, type DbusPool } from '../../../../agent-app/platform/linux/dbus';
import {
  createLogindIdleSource,
  listInhibitors,
  sleepBlockers,
} from '../../../../agent-app/platform/linux/logind';
import { createMutterIdleSource } from '../../../../agent-app/platform/linux/mutter-idle';
import { createLinuxPowerRequestProbe } from '../../../../agent-app/platform/linux/power-requests';
import { UnavailableError } from '../../../../common/errors';

const { Interface } = dbus.interface;
let daemon: ProcessPromise;
let dir: string;
let address: string;
let service: dbus.MessageBus;
let pool: DbusPool;
const state = { idleMs: 1234n, sessions: [] as { id: string; type: string; idle: boolean; since: bigint }[] };

class IdleMonitor extends Interface {
  GetIdletime() {
    return state.idleMs;
  }
}
IdleMonitor.configureMembers({ methods: { GetIdletime: { inSignature: '', outSignature: 't' } } });

class Manager extends Interface {
  ListInhibitors() {
    return [
      ['sleep', 'NetworkManager', 'NetworkManager needs to turn off networks', 'delay', 0, 776],
      ['handle-lid-switch', 'nikolay', 'Multiple displays attached', 'block', 1000, 6866],
      ['sleep:shutdown', 'Steam', 'Downloading a game', 'block', 1000, 4242],
    ];
  }
  ListSessions() {
    return state.sessions.map((s) => [
      s.id,
      1000,
      'ann',
      'seat0',
      `/org/freedesktop/login1/session/_3${s.id}`,
    ]);
  }
}
Manager.configureMembers({
  methods: {
    ListInhibitors: { inSignature: '', outSignature: 'a(ssssuu)' },
    ListSessions: { inSignature: '', outSignature: 'a(susso)' },
  },
});

class Session extends Interface {
  constructor(private readonly id: string) {
    super('org.freedesktop.login1.Session');
  }
  private get s() {
    return state.sessions.find((x) => x.id === this.id)!;
  }
  get Type() {
    return this.s.type;
  }
  get Class() {
    return 'user';
  }
  get IdleHint() {
    return this.s.idle;
  }
  get IdleSinceHint() {
    return this.s.since;
  }
}
Session.configureMembers({
  properties: {
    Type: { signature: 's', access: 'read' },
    Class: { signature: 's', access: 'read' },
    IdleHint: { signature: 'b', access: 'read' },
    IdleSinceHint: { signature: 't', access: 'read' },
  },
});

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'agent-dbus-'));
  address = `unix:path=${path.join(dir, 'bus')}`;
  daemon = $`dbus-daemon --session --nofork --nopidfile --address=${address}`.nothrow().quiet();
  for (let i = 0; i < 100 && !(await import('fs')).existsSync(path.join(dir, 'bus')); i++)
    await new Promise((r) => setTimeout(r, 30));
  service = dbus.sessionBus({ busAddress: address });
  await service.requestName('org.gnome.Mutter.IdleMonitor', 0);
  await service.requestName('org.freedesktop.login1', 0);
  service.export('/org/gnome/Mutter/IdleMonitor/Core', new IdleMonitor('org.gnome.Mutter.IdleMonitor'));
  service.export('/org/freedesktop/login1', new Manager('org.freedesktop.login1.Manager'));
  for (const id of ['1', '2']) service.export(`/org/freedesktop/login1/session/_3${id}`, new Session(id));
  pool = createDbusPool();
});

afterAll(async () => {
  await pool.close();
  service.disconnect();
  await daemon.kill();
  rmSync(dir, { recursive: true, force: true });
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
    const other = mkdtempSync(path.join(tmpdir(), 'agent-dbus2-'));
    const otherAddress = `unix:path=${path.join(other, 'bus')}`;
    const second = $`dbus-daemon --session --nofork --nopidfile --address=${otherAddress}`.nothrow().quiet();
    try {
      for (let i = 0; i < 100 && !(await import('fs')).existsSync(path.join(other, 'bus')); i++)
        await new Promise((r) => setTimeout(r, 30));
      const source = createMutterIdleSource({
        pool,
        addresses: async () => [otherAddress, `unix:path=${path.join(other, 'missing')}`],
      });
      await expect(source.read(signal())).rejects.toBeInstanceOf(UnavailableError);
    } finally {
      await second.kill();
      rmSync(other, { recursive: true, force: true });
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
      address: `unix:path=${path.join(dir, 'no-such-bus')}`,
      run: async () => Promise.reject(new Error('unused')),
      findOnPath: async () => null,
    });
    await expect(probe.read(signal())).rejects.toBeInstanceOf(UnavailableError);
  });
});
