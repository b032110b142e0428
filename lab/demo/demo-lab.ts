/**
 * The demo's light lab: the lab's Proxmox emulation (lab/pve) with the scenario's four guests, each with a
 * real qemu-ga (unless the machine has none) and a real `proxmox-sleep-agent run`, a private X server for the
 * desktop, a scripted nvidia-smi for the gaming guest, the host's `systemctl suspend` running the real sleep
 * hook unit, and the host tool's configuration file.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createLabPve, type LabPve } from '../pve/lab';
import { agentStatusFile } from '../pve/power';
import { repoRoot } from '../qemu/repo-root';
import { readGuest } from '../pve/state';
import { hostConfigLines, type DemoGuest, type DemoTimings, type DemoTransport } from './scenario';
import { startPrivateX, type PrivateX } from './xvfb';

export const HOST_CLI = path.join(repoRoot(), 'dist', 'host', 'cli.js');
const HOOK_UNIT = path.join(repoRoot(), 'installer', 'host', 'proxmox-sleep-hook.service');
const DEMO_GUEST_BIN = path.join(repoRoot(), 'lab', 'demo', 'guest-bin');

export interface DemoLab {
  lab: LabPve;
  /** The host side's folder: configuration, state, logs, metrics. */
  work: string;
  configFile: string;
  metricsFile: string;
  /** The environment the host tool runs in: the lab's qm/pct/pvesh/systemctl first on PATH. */
  env: Record<string, string>;
  guests: DemoGuest[];
  transport: DemoTransport;
  x: PrivateX | null;
  /** Where each guest's agent writes its status (to show what the agent itself says). */
  statusFile(id: number): string;
  cleanup(): Promise<void>;
}

export interface DemoLabOptions {
  guests: DemoGuest[];
  timings: DemoTimings;
  transport: DemoTransport;
}

export async function createDemoLab(options: DemoLabOptions): Promise<DemoLab> {
  const { guests, timings, transport } = options;
  // The node is this machine's short hostname, which is what the host tool takes its own node to be here.
  const lab = createLabPve();
  const work = mkdtempSync(path.join(os.tmpdir(), 'lab-demo-'));
  let x: PrivateX | null = null;
  const cleanup = async () => {
    await x?.stop();
    await lab.cleanup();
    rmSync(work, { recursive: true, force: true });
  };
  try {
    if (guests.some((g) => g.activity.kind === 'desk')) x = await startPrivateX(lab.dir);
    for (const g of guests) await addGuest(lab, g, transport, x);
    const configFile = path.join(work, 'proxmox-sleep.conf');
    const metricsFile = path.join(work, 'metrics.prom');
    const stateDir = path.join(work, 'state');
    mkdirSync(stateDir, { mode: 0o755 });
    const statusFile = (id: number) => {
      const g = readGuest(lab.dir, id);
      return g ? agentStatusFile(lab.dir, g) : path.join(lab.guestDir(id), 'status.json');
    };
    writeFileSync(
      configFile,
      `${hostConfigLines(guests, timings, transport, {
        work,
        stateDir,
        metricsFile,
        statusFile,
        sharedDir: (id) => lab.guestDir(id),
      }).join('\n')}\n`,
    );
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      ...lab.env,
      CONFIG_FILE: configFile,
      PROXMOX_SLEEP_STATE_DIR: stateDir,
    };
    lab.host({
      suspend: { mode: 'async', seconds: timings.suspendSeconds },
      hook: { enabled: true, unitFile: HOOK_UNIT, command: [process.execPath, HOST_CLI], env },
    });
    return { lab, work, configFile, metricsFile, env, guests, transport, x, statusFile, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

async function addGuest(lab: LabPve, g: DemoGuest, transport: DemoTransport, x: PrivateX | null) {
  const dir = lab.guestDir(g.id);
  if (g.agent) {
    const config = g.activity.kind === 'desk' && x ? withDisplay(g.agent, x.display) : g.agent;
    // The lab's agents run on this machine's kernel: its hibernation readiness is not the guest's.
    writeFileSync(
      path.join(dir, 'agent.json'),
      `${JSON.stringify({ hibernateCheck: false, ...config }, null, 2)}\n`,
    );
  }
  const light = {
    agentDaemon: g.agent !== null,
    // Without qemu-ga the guests have no guest agent: the host reads their status over virtiofs.
    agentDead: transport !== 'qga',
    path: g.activity.kind === 'game' ? [DEMO_GUEST_BIN] : [],
  };
  const behaviour = {
    hibernateSeconds: g.powerOffSeconds,
    shutdownSeconds: g.powerOffSeconds,
    startSeconds: 0.3,
  };
  if (g.kind === 'ct')
    lab.addContainer(g.id, { name: g.name, backend: 'light', light, behaviour, cpu: 0.01 });
  else
    await lab.addVm(g.id, {
      name: g.name,
      backend: 'light',
      agent: transport === 'qga',
      light,
      behaviour,
      cpu: 0.02,
    });
}

/** The desktop's agent reads input idle time from the demo's own X server. */
function withDisplay(agent: Record<string, unknown>, display: string): Record<string, unknown> {
  const checks = (agent.checks ?? {}) as Record<string, Record<string, unknown>>;
  return { ...agent, checks: { ...checks, input: { ...checks.input, x11Displays: [display] } } };
}
