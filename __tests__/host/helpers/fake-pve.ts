/**
 * A stand-in for a Proxmox host for the monitor's tests: the lab's emulated qm/pct/pvesh (lab/pve) on PATH,
 * guests in the lab state, and for every VM a REAL qemu-ga (started and stopped by the test, not by the
 * guest's power state) whose socket the emulated tools and GUEST_AGENT_ACCESS=socket talk to.
 */
import * as path from 'path';
import { createLabPve, type GuestOptions } from '../../../lab/pve/lab';
import { LAB_PVE_BIN } from '../../../lab/pve/processes';
import { startQemuGa, type RunningQga } from './qemu-ga';

export const FAKE_PVE_BIN = LAB_PVE_BIN;

export type FakeGuest = GuestOptions;

export interface FakePve {
  dir: string;
  /** Where the VMs' sockets live (`<id>.qga`), for QGA_SOCKET_DIR. */
  socketDir: string;
  env: Record<string, string>;
  agents: Map<number, RunningQga>;
  addVm(id: number, options?: FakeGuest & { withAgent?: boolean }): Promise<void>;
  addContainer(id: number, options?: FakeGuest): string;
  update(id: number, change: FakeGuest): void;
  /** Writes a status file at a path of this machine (which the VM's qemu-ga reads). */
  statusPath(id: number): string;
  calls(): string[][];
  cleanup(): Promise<void>;
}

/** `binDir`: where the emulated tools are when this file is bundled elsewhere (the benchmark). */
export function createFakePve(options: { binDir?: string } = {}): FakePve {
  const lab = createLabPve({ binDir: options.binDir });
  const agents = new Map<number, RunningQga>();
  return {
    dir: lab.dir,
    socketDir: lab.socketDir,
    agents,
    env: lab.env,
    async addVm(id, o = {}) {
      const { withAgent = true, ...rest } = o;
      let qga = path.join(lab.socketDir, `${id}.qga`);
      if (withAgent) {
        const agent = await startQemuGa(lab.socketDir, String(id));
        agents.set(id, agent);
        qga = agent.socket;
      }
      await lab.addVm(id, { uptime: 86400, qga, ...rest });
    },
    addContainer(id, o = {}) {
      return lab.addContainer(id, { uptime: 86400, ...o }).rootfs as string;
    },
    update: (id, change) => lab.update(id, change),
    statusPath: (id) => path.join(lab.guestDir(id), 'status.json'),
    calls: () => lab.calls().map((c) => [c.tool, ...c.argv]),
    async cleanup() {
      await Promise.all([...agents.values()].map((a) => a.stop()));
      await lab.cleanup();
    },
  };
}
