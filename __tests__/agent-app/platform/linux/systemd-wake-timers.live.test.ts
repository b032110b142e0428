/**
 * The systemd wake-timer source against a real, private dbus-daemon with a stand-in org.freedesktop.systemd1
 * (PID 1 is not systemd here): the Manager's ListUnits and each timer's Timer properties, with the
 * signatures systemd uses, so dbus-next's marshalling, the pool and the decoding all run for real.
 */
import * as dbus from 'dbus-next';
import { createDbusPool, type DbusPool } from '../../../../agent-app/platform/linux/dbus';
import {
  activeTimers,
  createSystemdWakeSource,
  timerWakeAt,
} from '../../../../agent-app/platform/linux/systemd-wake-timers';
import { UnavailableError } from '../../../../common/errors';
import { startPrivateBus, type PrivateBus } from '../../../helpers/private-dbus';

const { Interface } = dbus.interface;
const NOW = Date.UTC(2026, 11, 23, 20, 0, 0);
const MONOTONIC_NOW_US = 5_000_000_000; // the guest has been up for about 83 minutes
const INFINITY = 2n ** 64n - 1n;

interface FakeTimer {
  name: string;
  active: string;
  wake: boolean;
  realtime: bigint;
  monotonic: bigint;
  unit: string;
}

const timers: FakeTimer[] = [
  {
    name: 'backup.timer',
    active: 'active',
    wake: true,
    realtime: BigInt(Date.UTC(2026, 11, 24, 5, 30)) * 1000n,
    monotonic: 0n,
    unit: 'backup.service',
  },
  {
    name: 'after-boot.timer',
    active: 'active',
    wake: true,
    realtime: 0n,
    monotonic: BigInt(MONOTONIC_NOW_US + 7_200_000_000), // 2 h from "now" on the monotonic clock
    unit: 'after-boot.service',
  },
  {
    name: 'logrotate.timer',
    active: 'active',
    wake: false,
    realtime: BigInt(Date.UTC(2026, 11, 24, 0, 0)) * 1000n,
    monotonic: 0n,
    unit: 'logrotate.service',
  },
  {
    name: 'stopped.timer',
    active: 'inactive',
    wake: true,
    realtime: BigInt(Date.UTC(2026, 11, 23, 21, 0)) * 1000n,
    monotonic: 0n,
    unit: 'stopped.service',
  },
  {
    name: 'never.timer',
    active: 'active',
    wake: true,
    realtime: INFINITY,
    monotonic: 0n,
    unit: 'never.service',
  },
];

const objectPath = (name: string) => `/org/freedesktop/systemd1/unit/${name.replace(/[.-]/g, '_')}`;

class Manager extends Interface {
  ListUnits() {
    const units = [
      [
        'dbus.service',
        'D-Bus System Message Bus',
        'loaded',
        'active',
        'running',
        '',
        objectPath('dbus.service'),
      ],
      ...timers.map((t) => [t.name, 'a timer', 'loaded', t.active, 'waiting', '', objectPath(t.name)]),
    ];
    return units.map((u) => [...u, 0, '', '/']);
  }
}
Manager.configureMembers({ methods: { ListUnits: { inSignature: '', outSignature: 'a(ssssssouso)' } } });

class Timer extends Interface {
  constructor(private readonly t: FakeTimer) {
    super('org.freedesktop.systemd1.Timer');
  }
  get WakeSystem() {
    return this.t.wake;
  }
  get NextElapseUSecRealtime() {
    return this.t.realtime;
  }
  get NextElapseUSecMonotonic() {
    return this.t.monotonic;
  }
  get Unit() {
    return this.t.unit;
  }
}
Timer.configureMembers({
  properties: {
    WakeSystem: { signature: 'b', access: 'read' },
    NextElapseUSecRealtime: { signature: 't', access: 'read' },
    NextElapseUSecMonotonic: { signature: 't', access: 'read' },
    Unit: { signature: 's', access: 'read' },
  },
});

let bus: PrivateBus;
let address: string;
let pool: DbusPool;

beforeAll(async () => {
  bus = await startPrivateBus('agent-systemd-');
  address = bus.address;
  const { service } = bus;
  await service.requestName('org.freedesktop.systemd1', 0);
  service.export('/org/freedesktop/systemd1', new Manager('org.freedesktop.systemd1.Manager'));
  for (const t of timers) service.export(objectPath(t.name), new Timer(t));
  pool = createDbusPool();
});

afterAll(async () => {
  await pool.close();
  await bus.stop();
});

const signal = () => new AbortController().signal;

describe('systemd wake timers over D-Bus', () => {
  it('reports every active WakeSystem timer, calendar and monotonic, and nothing else', async () => {
    const source = createSystemdWakeSource({ pool, address, monotonicUs: () => MONOTONIC_NOW_US });
    const requests = await source.read(signal(), NOW);
    expect(requests).toEqual([
      { at: Date.UTC(2026, 11, 24, 5, 30), source: 'systemd timer backup.timer (starts backup.service)' },
      { at: NOW + 7_200_000, source: 'systemd timer after-boot.timer (starts after-boot.service)' },
    ]);
  });

  it("converts a monotonic elapse with this machine's real monotonic clock by default", async () => {
    const realNowUs = Number(process.hrtime.bigint() / 1000n);
    timers[1].monotonic = BigInt(realNowUs + 3_600_000_000);
    try {
      const requests = await createSystemdWakeSource({ pool, address }).read(signal(), NOW);
      const afterBoot = requests.find((r) => r.source.includes('after-boot'));
      expect(afterBoot!.at - NOW).toBeGreaterThan(3_590_000);
      expect(afterBoot!.at - NOW).toBeLessThanOrEqual(3_600_000);
    } finally {
      timers[1].monotonic = BigInt(MONOTONIC_NOW_US + 7_200_000_000);
    }
  });

  it('is unavailable when no systemd answers on the bus (the dbus package activates /bin/false for it), or there is no bus', async () => {
    const other = await startPrivateBus('agent-systemd2-');
    try {
      const empty = createSystemdWakeSource({ pool, address: other.address });
      await expect(empty.read(signal(), NOW)).rejects.toBeInstanceOf(UnavailableError);
      const none = createSystemdWakeSource({ pool, address: `${other.address}-missing` });
      await expect(none.read(signal(), NOW)).rejects.toBeInstanceOf(UnavailableError);
    } finally {
      await other.stop();
    }
  });
});

describe('timer arithmetic', () => {
  const timer = { wakeSystem: true, realtimeUs: 0, monotonicUs: 0, unit: 'x.service' };

  it('takes the earlier of a calendar and a monotonic elapse', () => {
    expect(
      timerWakeAt({ ...timer, realtimeUs: (NOW + 60_000) * 1000, monotonicUs: 2_000_000 }, NOW, 1_000_000),
    ).toBe(NOW + 1000);
  });

  it('has no wake time when nothing is scheduled or the timer does not wake', () => {
    expect(timerWakeAt(timer, NOW, 0)).toBeNull();
    expect(timerWakeAt({ ...timer, realtimeUs: Number(INFINITY) }, NOW, 0)).toBeNull();
    expect(timerWakeAt({ ...timer, wakeSystem: false, realtimeUs: NOW * 1000 }, NOW, 0)).toBeNull();
  });

  it('ignores malformed ListUnits rows', () => {
    expect(
      activeTimers([[['a.timer', 'x'], 'junk', ['b.timer', '', '', 'active', '', '', '/b', 0, '', '/']]]),
    ).toEqual([{ name: 'b.timer', path: '/b' }]);
    expect(activeTimers([])).toEqual([]);
  });
});
