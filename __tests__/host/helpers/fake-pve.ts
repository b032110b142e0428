/**
 * A stand-in for a Proxmox host: the fake qm/pct/pvesh (__tests__/fixtures/host/fake-pve) on PATH, a state
 * file describing the guests, and for every VM a REAL qemu-ga whose socket the fakes (and GUEST_AGENT_ACCESS=
 * socket) talk to. Status files are written with the shared status samples.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startQemuGa, type RunningQga } from './qemu-ga';

export const FAKE_PVE_BIN = path.join(__dirname, '..', '..', 'fixtures', 'host', 'fake-pve', 'bin');

export interface FakeGuest {
  type: 'qemu' | 'lxc';
  name: string;
  status: 'running' | 'stopped';
  qmpstatus?: string;
  cpu?: number;
  uptime?: number;
  agent?: boolean;
  /** VMs: the qemu-ga socket. */
  qga?: string;
  /** Containers: directory standing in for the container's root filesystem. */
  rootfs?: string;
}

export interface FakePve {
  dir: string;
  /** Where the VMs' sockets live (`<id>.qga`), for QGA_SOCKET_DIR. */
  socketDir: string;
  env: Record<string, string>;
  agents: Map<number, RunningQga>;
  addVm(id: number, options?: Partial<FakeGuest> & { withAgent?: boolean }): Promise<void>;
  addContainer(id: number, options?: Partial<FakeGuest>): string;
  update(id: number, change: Partial<FakeGuest>): void;
  /** Writes a status file at a path of this machine (which the VM's qemu-ga reads). */
  statusPath(id: number): string;
  calls(): string[][];
  cleanup(): Promise<void>;
}

/** `binDir`: where the fake tools are when this file is bundled elsewhere (the benchmark). */
export function createFakePve(options: { binDir?: string } = {}): FakePve {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fake-pve-'));
  const socketDir = path.join(dir, 'qemu-server');
  mkdirSync(socketDir);
  const stateFile = path.join(dir, 'guests.json');
  const state: { guests: Record<string, FakeGuest> } = { guests: {} };
  const save = () => writeFileSync(stateFile, JSON.stringify(state, null, 1));
  save();
  const agents = new Map<number, RunningQga>();
  return {
    dir,
    socketDir,
    agents,
    env: {
      FAKE_PVE_DIR: dir,
      PATH: `${options.binDir ?? FAKE_PVE_BIN}:${process.env.PATH}`,
    },
    async addVm(id, options = {}) {
      const { withAgent = true, ...rest } = options;
      let socket = path.join(socketDir, `${id}.qga`);
      if (withAgent) {
        const agent = await startQemuGa(socketDir, String(id));
        agents.set(id, agent);
        socket = agent.socket;
      }
      state.guests[id] = {
        type: 'qemu',
        name: `vm${id}`,
        status: 'running',
        qmpstatus: 'running',
        cpu: 0.01,
        uptime: 86400,
        agent: true,
        qga: socket,
        ...rest,
      };
      mkdirSync(path.join(dir, 'guest', String(id)), { recursive: true });
      save();
    },
    addContainer(id, options = {}) {
      const rootfs = path.join(dir, 'ct', String(id));
      mkdirSync(path.join(rootfs, 'run', 'proxmox-sleep-agent'), { recursive: true });
      state.guests[id] = {
        type: 'lxc',
        name: `ct${id}`,
        status: 'running',
        cpu: 0.01,
        uptime: 86400,
        rootfs,
        ...options,
      };
      save();
      return rootfs;
    },
    update(id, change) {
      state.guests[id] = { ...state.guests[id], ...change };
      save();
    },
    statusPath: (id) => path.join(dir, 'guest', String(id), 'status.json'),
    calls() {
      try {
        return readFileSync(path.join(dir, 'calls.log'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as string[]);
      } catch {
        return [];
      }
    },
    async cleanup() {
      await Promise.all([...agents.values()].map((a) => a.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
