/**
 * KDE Plasma's idle time and the daemon's input idle chain, against private, real dbus-daemons: a session bus
 * with a stand-in of KDE's org.freedesktop.ScreenSaver (and GNOME's Mutter IdleMonitor when a test wants it),
 * and a "system" bus with a logind stand-in. `proxmox-sleep-agent check` runs the real chain in its default
 * order (x11, mutter, kde, logind) and must name the source that answered, or why none did.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import * as dbus from 'dbus-next';
import { createDbusPool, type DbusPool } from '../../../../agent-app/platform/linux/dbus';
import { createKdeIdleSource, KDE_WAYLAND_REFUSAL } from '../../../../agent-app/platform/linux/kde-idle';
import { HINT_NEVER_SET } from '../../../../agent-app/platform/linux/logind';
import { UnavailableError } from '../../../../common/errors';
import { agentCli } from '../../../helpers/agent-cli';
import {
  exportLogindStandIn,
  startPrivateBus,
  type LogindSessionState,
  type PrivateBus,
} from '../../../helpers/private-dbus';

const { Interface } = dbus.interface;
const desktop = { kdeIdleMs: 905_000, kdeWayland: false, mutterIdleMs: 4_000n };
const logind = { sessions: [] as LogindSessionState[], ids: ['2'] };

class ScreenSaver extends Interface {
  GetSessionIdleTime() {
    if (desktop.kdeWayland)
      throw new dbus.DBusError(
        'org.freedesktop.DBus.Error.NotSupported',
        'GetSessionIdleTime is not supported on this platform',
      );
    return desktop.kdeIdleMs;
  }
}
ScreenSaver.configureMembers({ methods: { GetSessionIdleTime: { inSignature: '', outSignature: 'u' } } });

class IdleMonitor extends Interface {
  GetIdletime() {
    return desktop.mutterIdleMs;
  }
}
IdleMonitor.configureMembers({ methods: { GetIdletime: { inSignature: '', outSignature: 't' } } });

let session: PrivateBus;
let system: PrivateBus;
let pool: DbusPool;
let dir: string;

beforeAll(async () => {
  [session, system] = await Promise.all([startPrivateBus('agent-kde-'), startPrivateBus('agent-login1-')]);
  await session.service.requestName('org.freedesktop.ScreenSaver', 0);
  session.service.export('/ScreenSaver', new ScreenSaver('org.freedesktop.ScreenSaver'));
  session.service.export(
    '/org/gnome/Mutter/IdleMonitor/Core',
    new IdleMonitor('org.gnome.Mutter.IdleMonitor'),
  );
  await exportLogindStandIn(system.service, logind);
  pool = createDbusPool();
});

afterAll(async () => {
  await pool.close();
  await Promise.all([session.stop(), system.stop()]);
});

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'agent-kde-cli-'));
  desktop.kdeWayland = false;
  logind.sessions = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const signal = () => new AbortController().signal;

describe("KDE Plasma's GetSessionIdleTime", () => {
  it('reads milliseconds from /ScreenSaver on each session bus', async () => {
    const source = createKdeIdleSource({ pool, addresses: async () => [session.address] });
    expect(await source.read(signal())).toEqual({ idleSeconds: 905, source: 'kde' });
  });

  it('is unavailable on Wayland, saying that Plasma refuses the call there', async () => {
    desktop.kdeWayland = true;
    const source = createKdeIdleSource({ pool, addresses: async () => [session.address] });
    const read = source.read(signal());
    await expect(read).rejects.toBeInstanceOf(UnavailableError);
    await expect(read).rejects.toThrow(KDE_WAYLAND_REFUSAL);
  });

  it('is unavailable on a bus without KDE (GNOME, a bare session)', async () => {
    const bare = await startPrivateBus('agent-bare-');
    try {
      const source = createKdeIdleSource({ pool, addresses: async () => [bare.address] });
      await expect(source.read(signal())).rejects.toThrow(/no KDE Plasma session/);
    } finally {
      await bare.stop();
    }
  });
});

/** `check` with only the input check, the session and system buses above and no xprintidle on PATH. */
async function check(options: { mutter: boolean }) {
  if (options.mutter) await session.service.requestName('org.gnome.Mutter.IdleMonitor', 0);
  else await session.service.releaseName('org.gnome.Mutter.IdleMonitor');
  const config = path.join(dir, 'agent.json');
  writeFileSync(
    config,
    JSON.stringify({
      checks: {
        cpu: { enabled: false },
        network: { enabled: false },
        gpu: { enabled: false },
        powerRequests: { enabled: false },
        sessions: { enabled: false },
      },
    }),
  );
  const globals = ['--config', config, '--status-file', path.join(dir, 'run', 'status.json')];
  return agentCli([...globals, '--state-dir', path.join(dir, 'state'), 'check'], {
    PATH: path.join(dir, 'empty-bin'),
    DISPLAY: ':0',
    DBUS_SESSION_BUS_ADDRESS: session.address,
    DBUS_SYSTEM_BUS_ADDRESS: system.address,
  });
}

const graphical = (since: bigint, idle: boolean): LogindSessionState => ({
  id: '2',
  type: 'wayland',
  idle,
  since,
});

describe('the input idle chain (x11, mutter, kde, logind), as `check` shows it', () => {
  it('takes Mutter before KDE when both answer', async () => {
    const run = await check({ mutter: true });
    expect(run.stdout).toMatch(/^input\s+active\s+input 4s ago \(< 60s, mutter\)$/m);
  });

  it('takes KDE (X11) when there is no GNOME, before logind', async () => {
    logind.sessions = [graphical(0n, false)];
    const run = await check({ mutter: false });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^input\s+idle\s+no input for 905s \(kde\)$/m);
  });

  it("falls through KDE on Wayland to logind, and says when nothing ever set logind's idle hint", async () => {
    desktop.kdeWayland = true;
    logind.sessions = [graphical(0n, false)];
    const run = await check({ mutter: false });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`input 0s ago (< 60s, logind: ${HINT_NEVER_SET})`);
  });

  it('reads the idle hint a program such as swayidle set', async () => {
    desktop.kdeWayland = true;
    logind.sessions = [graphical(BigInt(Date.now() - 300_000) * 1000n, true)];
    const run = await check({ mutter: false });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^input\s+idle\s+no input for 30\ds \(logind\)$/m);
  });

  it('names every source it tried when none answers', async () => {
    desktop.kdeWayland = true;
    const run = await check({ mutter: false });
    expect(run.code).toBe(0);
    const line = run.stdout.split('\n').find((l) => l.startsWith('input'));
    expect(line).toMatch(/^input\s+n\/a\s+no input idle source \(/);
    expect(line).toContain('x11: xprintidle is not installed');
    expect(line).toContain('mutter: no GNOME session');
    expect(line).toContain(`kde: ${KDE_WAYLAND_REFUSAL}`);
    expect(line).toContain('logind: no graphical login session');
    expect(line!.indexOf('x11:')).toBeLessThan(line!.indexOf('mutter:'));
    expect(line!.indexOf('mutter:')).toBeLessThan(line!.indexOf('kde:'));
    expect(line!.indexOf('kde:')).toBeLessThan(line!.indexOf('logind:'));
  });
});
