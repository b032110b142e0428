/**
 * The tray's composition: which checks it builds per OS and session, with the real core checks. On Wayland
 * the input idle comes from GNOME Mutter's IdleMonitor, served here by a real private dbus-daemon.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import * as dbus from 'dbus-next';
import { $, type ProcessPromise } from 'zx';
import { SimulatedClock } from '../../../../common/clock';
import { UnavailableError } from '../../../../common/errors';
import { createLogger, memorySink } from '../../../../common/log';
import { parseAgentConfig, type AgentConfigInput } from '../../../../agent-app/core/config';
import { composeTray, type TrayEdges } from '../../../../agent-app/electron/main/compose-tray';
import { pathLookup } from '../../../../agent-app/platform/shared/commands';
import { createTrayInputProbe, sessionKind } from '../../../../agent-app/electron/main/input-idle';
import {
  buildSnapshot,
  powerRequestsFile,
} from '../../../../agent-app/platform/windows/power-requests-snapshot';
import { writeSnapshot } from '../../../../agent-app/platform/windows/power-requests-writer';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'compose-tray-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const signal = () => new AbortController().signal;
const config = (os: 'linux' | 'windows' | 'macos', checks: AgentConfigInput['checks'] = {}) =>
  parseAgentConfig(
    { statusFile: path.join(dir, 'run', 'status.json'), stateDir: path.join(dir, 'state'), checks },
    os,
  );

function edges(extra: Partial<TrayEdges> = {}): TrayEdges {
  return {
    clock: new SimulatedClock(),
    logger: createLogger('test', { sink: memorySink() }),
    env: {},
    platform: 'linux',
    powerMonitor: { getSystemIdleTime: () => 42 },
    findOnPath: async () => null,
    ...extra,
  };
}

describe('sessionKind', () => {
  it.each([
    ['win32', {}, 'windows'],
    ['darwin', { WAYLAND_DISPLAY: 'wayland-0' }, 'macos'],
    ['linux', { XDG_SESSION_TYPE: 'wayland', DISPLAY: ':0' }, 'wayland'],
    ['linux', { XDG_SESSION_TYPE: 'x11', WAYLAND_DISPLAY: 'wayland-0' }, 'x11'],
    ['linux', { WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' }, 'wayland'],
    ['linux', { DISPLAY: ':0' }, 'x11'],
    ['linux', { XDG_SESSION_TYPE: 'tty' }, 'none'],
    ['linux', {}, 'none'],
  ] as const)('%s %p → %s', (platform, env, kind) => expect(sessionKind(platform, env)).toBe(kind));
});

describe('the tray input probe', () => {
  it('reads Electron on Windows, macOS and X11 and says so', async () => {
    for (const kind of ['windows', 'macos', 'x11'] as const) {
      const probe = createTrayInputProbe({
        kind,
        powerMonitor: { getSystemIdleTime: () => 17 },
        waylandSources: [],
      });
      expect(await probe.read(signal())).toEqual({ idleSeconds: 17, source: 'electron' });
    }
  });

  it('does not trust Electron on Wayland: without Mutter/logind sources there is no reading', async () => {
    const probe = createTrayInputProbe({
      kind: 'wayland',
      powerMonitor: { getSystemIdleTime: () => 0 },
      waylandSources: [],
    });
    await expect(probe.read(signal())).rejects.toBeInstanceOf(UnavailableError);
  });

  it('without a graphical session it is unavailable; a nonsense reading is an error', async () => {
    const none = createTrayInputProbe({
      kind: 'none',
      powerMonitor: { getSystemIdleTime: () => 0 },
      waylandSources: [],
    });
    await expect(none.read(signal())).rejects.toBeInstanceOf(UnavailableError);
    const bad = createTrayInputProbe({
      kind: 'x11',
      powerMonitor: { getSystemIdleTime: () => NaN },
      waylandSources: [],
    });
    await expect(bad.read(signal())).rejects.toThrow(/powerMonitor returned NaN/);
  });
});

describe('composeTray', () => {
  it("Linux X11: the daemon's checks with the input check from Electron, variant tray", async () => {
    const parts = composeTray(
      config('linux', { processes: { names: ['steam'] } }),
      edges({ env: { DISPLAY: ':0' } }),
    );
    expect(parts.session).toBe('x11');
    expect(parts.info.variant).toBe('tray');
    expect(parts.checks.map((c) => c.name)).toEqual([
      'input',
      'gpu',
      'power_requests',
      'processes',
      'cpu',
      'network',
      'sessions',
    ]);
    const input = await parts.checks[0].run({ signal: signal(), now: 0 });
    expect(input).toMatchObject({
      state: 'active',
      evidence: { user_idle_seconds: 42, user_idle_source: 'electron' },
    });
    await parts.close();
  });

  it('leaves the input check out when the configuration does', () => {
    const parts = composeTray(
      config('linux', { input: { enabled: false } }),
      edges({ env: { DISPLAY: ':0' } }),
    );
    expect(parts.checks.map((c) => c.name)).not.toContain('input');
  });

  it('Windows: GPU from the engine counters and power requests from the SYSTEM task, in the usual places', async () => {
    const invoked: string[] = [];
    let closed = false;
    const cfg = config('windows');
    await writeSnapshot(
      powerRequestsFile(cfg.statusFile),
      buildSnapshot({
        requests: [],
        now: Date.UTC(2026, 10, 26, 3, 0, 0),
        intervalSeconds: 10,
        source: 'powercfg',
        error: null,
      }),
    );
    const parts = composeTray(
      cfg,
      edges({
        platform: 'win32',
        powershell: {
          invoke: async (script) => {
            invoked.push(script);
            return 'pid_1_luid_0x00000000_0x0000C4C1_phys_0_eng_0_engtype_3D\t12\r\n';
          },
          close: async () => void (closed = true),
        },
      }),
    );
    expect(parts.checks.map((c) => c.name)).toEqual(['input', 'gpu', 'power_requests', 'cpu']);
    expect(await parts.checks[1].run({ signal: signal(), now: 0 })).toMatchObject({
      state: 'active',
      detail: 'GPU 12% > 10% (GPU engine counters, 3D)',
    });
    expect(invoked[0]).toContain('Win32_PerfFormattedData_GPUPerformanceCounters_GPUEngine');
    expect(await parts.checks[2].run({ signal: signal(), now: 0 })).toMatchObject({
      state: 'idle',
      detail: 'none (powercfg, via task)',
    });
    await parts.close();
    expect(closed).toBe(true);
  });

  it('Windows with GPU and power requests turned off starts no PowerShell', async () => {
    let invoked = 0;
    let closed = 0;
    const clock = new SimulatedClock();
    const parts = composeTray(
      config('windows', { gpu: { enabled: false }, powerRequests: { enabled: false } }),
      edges({
        platform: 'win32',
        clock,
        powershell: {
          invoke: async () => {
            invoked++;
            return Promise.reject(new Error('unused'));
          },
          close: async () => void closed++,
        },
      }),
    );
    expect(parts.checks.map((c) => c.name)).toEqual(['input', 'cpu']);
    // The CPU check samples over time on the injected clock.
    const runs = Promise.all(parts.checks.map((check) => check.run({ signal: signal(), now: 0 })));
    await clock.advance(60_000);
    await runs;
    await parts.close();
    expect(invoked).toBe(0);
    expect(closed).toBe(0);
  });

  it('on Windows finds tools with their .exe name', async () => {
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'nvidia-smi.exe'), '');
    chmodSync(path.join(bin, 'nvidia-smi.exe'), 0o755);
    expect(await pathLookup('win32', { PATH: bin })('nvidia-smi')).toBe(path.join(bin, 'nvidia-smi.exe'));
    expect(await pathLookup('win32', { PATH: bin })('nvidia-smi.exe')).toBe(path.join(bin, 'nvidia-smi.exe'));
    expect(await pathLookup('linux', { PATH: bin })('nvidia-smi')).toBeNull();
  });
});

describe('composeTray on Wayland (real private dbus-daemon serving Mutter IdleMonitor)', () => {
  const { Interface } = dbus.interface;
  class IdleMonitor extends Interface {
    static idleMs = 125_000n;
    GetIdletime() {
      return IdleMonitor.idleMs;
    }
  }
  IdleMonitor.configureMembers({ methods: { GetIdletime: { inSignature: '', outSignature: 't' } } });

  let busDir: string;
  let daemon: ProcessPromise;
  let service: dbus.MessageBus;
  let address: string;

  beforeAll(async () => {
    busDir = mkdtempSync(path.join(tmpdir(), 'tray-bus-'));
    address = `unix:path=${path.join(busDir, 'bus')}`;
    daemon = $`dbus-daemon --session --nofork --nopidfile --address=${address}`.nothrow().quiet();
    for (let i = 0; i < 100 && !existsSync(path.join(busDir, 'bus')); i++)
      await new Promise((r) => setTimeout(r, 30));
    service = dbus.sessionBus({ busAddress: address });
    await service.requestName('org.gnome.Mutter.IdleMonitor', 0);
    service.export('/org/gnome/Mutter/IdleMonitor/Core', new IdleMonitor('org.gnome.Mutter.IdleMonitor'));
  });
  afterAll(async () => {
    service.disconnect();
    await daemon.kill();
    rmSync(busDir, { recursive: true, force: true });
  });

  it('reads Mutter, not Electron, and reports the source', async () => {
    let electronAsked = 0;
    const parts = composeTray(
      config('linux', { gpu: { enabled: false }, powerRequests: { enabled: false } }),
      edges({
        env: {
          XDG_SESSION_TYPE: 'wayland',
          WAYLAND_DISPLAY: 'wayland-0',
          DBUS_SESSION_BUS_ADDRESS: address,
          DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${path.join(busDir, 'no-system-bus')}`,
        },
        powerMonitor: { getSystemIdleTime: () => (electronAsked++, 0) },
      }),
    );
    expect(parts.session).toBe('wayland');
    const input = parts.checks.find((c) => c.name === 'input')!;
    expect(await input.run({ signal: signal(), now: 0 })).toEqual({
      state: 'idle',
      reason: null,
      detail: 'no input for 125s (mutter)',
      evidence: { user_idle_seconds: 125, user_idle_source: 'mutter' },
    });
    IdleMonitor.idleMs = 3_000n;
    expect(await input.run({ signal: signal(), now: 0 })).toMatchObject({
      state: 'active',
      evidence: { user_idle_source: 'mutter' },
    });
    expect(electronAsked).toBe(0);
    await input.close?.();
  });

  it('with only X11 configured as a source, Wayland has no input reading (left out, never "always active")', async () => {
    const parts = composeTray(
      config('linux', { input: { sources: ['x11'] } }),
      edges({ env: { XDG_SESSION_TYPE: 'wayland', DBUS_SESSION_BUS_ADDRESS: address } }),
    );
    const input = parts.checks.find((c) => c.name === 'input')!;
    await expect(input.run({ signal: signal(), now: 0 })).rejects.toBeInstanceOf(UnavailableError);
  });
});
