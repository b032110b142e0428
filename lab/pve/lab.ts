/**
 * The lab's Proxmox emulation as a library: make a lab folder, add guests with scripted behaviours, put the
 * emulated `qm`, `pct`, `pvesh` and `systemctl` on PATH (`env`), read back every call, guest event and
 * suspend with timestamps, and clean up every process the lab started. See lab/pve/README.md.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  DEFAULT_HOST_SETTINGS,
  hostSettings,
  readSuspends,
  saveHostSettings,
  type HostSettings,
  type SuspendRecord,
} from './host';
import { bootCreated, killAllGuestProcesses, materialize, qgaSocketOf, startGuest, stopGuest } from './power';
import type { Vm } from '../qemu/vm';
import { LAB_PVE_BIN, killIfOurs } from './processes';
import type { QemuGuestOptions } from './qemu-power';
import {
  ensureLayout,
  guestIds,
  paths,
  readCalls,
  readEvents,
  readGuest,
  recordedPids,
  withGuestLock,
  writeGuest,
  type CallRecord,
  type GuestEvent,
  type LabBehaviour,
  type LabGuest,
} from './state';

export type GuestOptions = Partial<Omit<LabGuest, 'id' | 'type' | 'behaviour' | 'qemu'>> & {
  behaviour?: LabBehaviour;
  /** For `backend: 'qemu'`: the VM to make (memory, lab data disk). */
  vm?: QemuGuestOptions;
};

export interface HostOptions {
  suspend?: Partial<HostSettings['suspend']>;
  hook?: Partial<HostSettings['hook']>;
  activeUnits?: string[];
}

export interface LabPve {
  dir: string;
  /** Where the VMs' guest agent sockets are (`<id>.qga`), for QGA_SOCKET_DIR. */
  socketDir: string;
  /** LAB_PVE_DIR and a PATH with the emulated tools first. */
  env: Record<string, string>;
  /**
   * A VM. Light and static guests run at once; a QEMU guest (`backend: 'qemu'`) is made from the cached
   * image and launched (not booted: wait with `vm(id).waitReady()`).
   */
  addVm(id: number, options?: GuestOptions): Promise<LabGuest>;
  /** A QEMU guest's VM (lab/qemu/vm.ts), e.g. to wait for its boot or run a command in it. */
  vm(id: number): Promise<Vm>;
  addContainer(id: number, options?: GuestOptions): LabGuest;
  update(id: number, change: GuestOptions): void;
  guest(id: number): LabGuest | null;
  /** The folder of a guest's own files (status.json, agent state, what its hwclock/wall recorded). */
  guestDir(id: number): string;
  /** The user starts or stops a guest by hand. */
  userStart(id: number): void;
  userStop(id: number): void;
  host(options: HostOptions): void;
  calls(): CallRecord[];
  events(): GuestEvent[];
  suspends(): SuspendRecord[];
  cleanup(): Promise<void>;
}

export interface LabOptions {
  /** Where the emulated tools are when this file is bundled elsewhere. */
  binDir?: string;
  node?: string;
}

async function waitForFile(file: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`lab: ${file} did not appear within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function createLabPve(options: LabOptions = {}): LabPve {
  // Short: unix socket paths are limited to 107 bytes.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pve-'));
  ensureLayout(dir);
  if (options.node) writeFileSync(paths(dir).node, JSON.stringify({ node: options.node }));
  saveHostSettings(dir, DEFAULT_HOST_SETTINGS);
  const guestDir = (id: number) => {
    const d = paths(dir).guestDir(id);
    mkdirSync(d, { recursive: true });
    return d;
  };

  const add = (id: number, type: LabGuest['type'], o: GuestOptions & Pick<LabGuest, 'qemu'>): LabGuest => {
    const { behaviour, vm: _vm, ...rest } = o;
    const guest: LabGuest = {
      id,
      type,
      name: `${type === 'qemu' ? 'vm' : 'ct'}${id}`,
      status: 'running',
      cpu: 0.01,
      backend: 'static',
      behaviour: { ...behaviour },
      ...rest,
    };
    if (guest.status === 'running') {
      guest.qmpstatus ??= 'running';
      if (guest.uptime === undefined) guest.startedAt ??= Date.now() - 3600 * 1000;
    }
    guestDir(id);
    writeGuest(dir, guest);
    return guest;
  };

  return {
    dir,
    socketDir: paths(dir).sockets,
    env: { LAB_PVE_DIR: dir, PATH: `${options.binDir ?? LAB_PVE_BIN}:${process.env.PATH}` },
    async addVm(id, o = {}) {
      if (o.backend === 'qemu') {
        const { vm, status, ...rest } = o;
        const qemu = await import('./qemu-power');
        const runDir = await qemu.createQemuVm(dir, id, vm ?? {});
        const g = add(id, 'qemu', {
          agent: true,
          qga: qgaSocketOf(dir, id),
          ...rest,
          status: 'stopped',
          qemu: { runDir },
        });
        if ((status ?? 'running') === 'running') {
          const r = await qemu.launchQemu(dir, g, 'the lab');
          if (!r.ok) throw new Error(`lab: VM ${id}: ${r.message}`);
        }
        return readGuest(dir, id) as LabGuest;
      }
      add(id, 'qemu', { agent: true, qga: qgaSocketOf(dir, id), ...o });
      bootCreated(dir, id);
      const g = readGuest(dir, id) as LabGuest;
      if (g.status === 'running' && g.backend === 'light' && !g.light?.agentDead && g.qga)
        await waitForFile(g.qga, 5000);
      return g;
    },
    addContainer(id, o = {}) {
      const rootfs = path.join(dir, 'ct', String(id));
      mkdirSync(path.join(rootfs, 'run', 'proxmox-sleep-agent'), { recursive: true });
      const g = add(id, 'lxc', { rootfs, ...o });
      bootCreated(dir, id);
      return g;
    },
    update(id, change) {
      withGuestLock(dir, id, () => {
        const g = readGuest(dir, id);
        if (!g) throw new Error(`lab: no guest ${id}`);
        const { behaviour, ...rest } = change;
        writeGuest(dir, { ...g, ...rest, behaviour: { ...g.behaviour, ...behaviour } });
      });
    },
    async vm(id) {
      const g = readGuest(dir, id);
      if (!g || g.backend !== 'qemu') throw new Error(`lab: guest ${id} is not a QEMU guest`);
      return (await import('./qemu-power')).openVm(g);
    },
    guest: (id) => materialize(dir, id),
    guestDir,
    userStart(id) {
      if (readGuest(dir, id)?.backend === 'qemu')
        throw new Error(`lab: start QEMU guest ${id} with the lab's qm start`);
      const r = startGuest(dir, id, 'the user');
      if (!r.ok) throw new Error(`lab: ${r.message}`);
    },
    userStop: (id) => stopGuest(dir, id),
    host(o) {
      const s = hostSettings(dir);
      saveHostSettings(dir, {
        suspend: { ...s.suspend, ...o.suspend },
        hook: { ...s.hook, ...o.hook },
        activeUnits: o.activeUnits ?? s.activeUnits,
      });
    },
    calls: () => readCalls(dir),
    events: () => readEvents(dir),
    suspends: () => readSuspends(dir),
    async cleanup() {
      const guests = guestIds(dir)
        .map((id) => readGuest(dir, id))
        .filter((g): g is LabGuest => g !== null);
      if (guests.some((g) => g.backend === 'qemu'))
        await (await import('./qemu-power')).killAllQemu(dir, guests);
      for (const { pid } of recordedPids(dir)) killIfOurs(pid, dir, 'SIGKILL');
      for (const id of guestIds(dir)) {
        const g = readGuest(dir, id);
        if (g) killAllGuestProcesses(dir, g);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every guest of a lab folder, by id (for the emulated REST API in the tests). */
export function labGuests(dir: string): Record<string, LabGuest> {
  const out: Record<string, LabGuest> = {};
  for (const id of guestIds(dir)) {
    const g = materialize(dir, id);
    if (g) out[id] = g;
  }
  return out;
}
