/**
 * A private, real dbus-daemon for the D-Bus probe tests, and stand-ins for the desktop services that cannot
 * run here (logind needs systemd as PID 1). The stand-ins answer with the real interfaces' names and
 * signatures, so the agent's real client code path (dbus-next, the pool, message building, reply decoding)
 * runs end to end.
 */
import { existsSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import * as dbus from 'dbus-next';
import { $ } from 'zx';

export interface PrivateBus {
  address: string;
  /** A client connection for exporting stand-in services. */
  service: dbus.MessageBus;
  stop(): Promise<void>;
}

export async function startPrivateBus(prefix: string): Promise<PrivateBus> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const socket = path.join(dir, 'bus');
  const address = `unix:path=${socket}`;
  const daemon = $`dbus-daemon --session --nofork --nopidfile --address=${address}`.nothrow().quiet();
  for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 30));
  const service = dbus.sessionBus({ busAddress: address });
  return {
    address,
    service,
    async stop() {
      service.disconnect();
      await daemon.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const { Interface } = dbus.interface;

export interface LogindSessionState {
  id: string;
  type: string;
  idle: boolean;
  /** IdleSinceHint: microseconds since the epoch, 0 while no program ever set the hint. */
  since: bigint;
}

/** logind's Manager (ListSessions, ListInhibitors) and one Session object per entry of `state.sessions`. */
export async function exportLogindStandIn(
  service: dbus.MessageBus,
  state: { sessions: LogindSessionState[]; ids: readonly string[] },
): Promise<void> {
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
  await service.requestName('org.freedesktop.login1', 0);
  service.export('/org/freedesktop/login1', new Manager('org.freedesktop.login1.Manager'));
  for (const id of state.ids) service.export(`/org/freedesktop/login1/session/_3${id}`, new Session(id));
}
