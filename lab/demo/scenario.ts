/**
 * What `npm start` shows, as data: four light guests, what keeps each of them busy and for how long, and the
 * host tool's configuration with timings in seconds so that one whole sleep cycle fits in well under a
 * minute. Nothing here runs anything.
 */

export type GuestKind = 'vm' | 'ct';

/** Something that keeps a guest busy for a while after the demo starts (and again after each wake). */
export type Activity =
  /** A process with this name runs in the guest (its agent's process check sees it), with the GPU busy. */
  | { kind: 'game'; process: string; gpuPercent: number; idleGpuPercent: number; seconds: number }
  /** Proxmox reports this CPU load for the guest, step by step (fraction of its CPUs, as Proxmox does). */
  | { kind: 'cpu'; steps: { cpu: number; seconds: number }[]; idleCpu: number }
  /** The guest's X server was just used: its idle time starts at zero when the demo starts. */
  | { kind: 'desk' }
  | { kind: 'none' };

export interface DemoGuest {
  kind: GuestKind;
  id: number;
  name: string;
  /** One line for people: what this guest stands for. */
  role: string;
  /** A real `proxmox-sleep-agent run` in the guest, with this agent.json; null = no agent. */
  agent: Record<string, unknown> | null;
  activity: Activity;
  /** How long this guest must be idle before it lets the host sleep. */
  idleTimeoutSeconds: number;
  /** How long the guest takes to hibernate or shut down when asked (the lab's timing). */
  powerOffSeconds: number;
}

export interface DemoTimings {
  checkIntervalSeconds: number;
  hostIdleSeconds: number;
  warningSeconds: number;
  agentStaleSeconds: number;
  wakeDelaySeconds: number;
  wakeGraceSeconds: number;
  hibernateTimeoutSeconds: number;
  shutdownTimeoutSeconds: number;
  proxmoxTimeoutSeconds: number;
  /** How long the lab's `systemctl suspend` keeps the host "asleep". */
  suspendSeconds: number;
  /** The whole cycle must be over by then, or the demo fails. */
  cycleDeadlineSeconds: number;
}

/** Agent checks that look at this machine rather than at a guest: off, so other work here cannot wake the demo. */
const QUIET_CHECKS = {
  cpu: { enabled: false },
  network: { enabled: false },
  sessions: { enabled: false },
  powerRequests: { enabled: false },
};

export const DEMO_GUESTS: DemoGuest[] = [
  {
    kind: 'vm',
    id: 100,
    name: 'gaming-win',
    role: 'Windows-like gaming VM: a game runs and the GPU is busy for a while',
    agent: {
      intervalSeconds: 1,
      checks: {
        ...QUIET_CHECKS,
        input: { enabled: false },
        gpu: { vendor: 'nvidia', thresholdPercent: 10 },
        processes: { names: ['eldenring.exe'] },
      },
    },
    activity: { kind: 'game', process: 'eldenring.exe', gpuPercent: 85, idleGpuPercent: 2, seconds: 6 },
    idleTimeoutSeconds: 8,
    powerOffSeconds: 2,
  },
  {
    kind: 'vm',
    id: 101,
    name: 'desktop',
    role: 'Linux desktop: its own X server, nobody at the keyboard',
    agent: {
      intervalSeconds: 1,
      checks: {
        ...QUIET_CHECKS,
        gpu: { enabled: false },
        input: { sources: ['x11'], activeWithinSeconds: 3 },
      },
    },
    activity: { kind: 'desk' },
    idleTimeoutSeconds: 8,
    powerOffSeconds: 2,
  },
  {
    kind: 'vm',
    id: 102,
    name: 'build-server',
    role: 'Linux server without an agent: busy, then calming down (Proxmox CPU reading)',
    agent: null,
    activity: {
      kind: 'cpu',
      steps: [
        { cpu: 0.72, seconds: 4 },
        { cpu: 0.38, seconds: 4 },
      ],
      idleCpu: 0.04,
    },
    idleTimeoutSeconds: 8,
    powerOffSeconds: 2,
  },
  {
    kind: 'ct',
    id: 200,
    name: 'media',
    role: 'container with the agent (lxc transport), idle',
    agent: {
      intervalSeconds: 1,
      checks: { ...QUIET_CHECKS, input: { enabled: false }, gpu: { enabled: false } },
    },
    activity: { kind: 'none' },
    idleTimeoutSeconds: 8,
    powerOffSeconds: 1,
  },
];

export const DEMO_TIMINGS: DemoTimings = {
  checkIntervalSeconds: 2,
  hostIdleSeconds: 8,
  warningSeconds: 3,
  agentStaleSeconds: 10,
  wakeDelaySeconds: 1,
  wakeGraceSeconds: 10,
  hibernateTimeoutSeconds: 20,
  shutdownTimeoutSeconds: 10,
  proxmoxTimeoutSeconds: 10,
  suspendSeconds: 3,
  cycleDeadlineSeconds: 150,
};

/** How the host reads the guests' agents: through qemu-ga (the default), or virtiofs when qemu-ga is missing. */
export type DemoTransport = 'qga' | 'virtiofs';

export interface HostConfigPaths {
  work: string;
  stateDir: string;
  metricsFile: string;
  /** Where each guest's agent writes its status (VMs; containers use their root filesystem). */
  statusFile: (id: number) => string;
  /** The folder a VM shares with the host for the virtiofs transport. */
  sharedDir: (id: number) => string;
}

export const guestRef = (g: Pick<DemoGuest, 'kind' | 'id'>) => `${g.kind === 'vm' ? 'VM' : 'CT'} ${g.id}`;

export const guestLabel = (g: Pick<DemoGuest, 'kind' | 'id' | 'name'>) => `${guestRef(g)} ${g.name}`;

/** The host tool's configuration for the demo: /etc/proxmox-sleep.conf as a user would write it. */
export function hostConfigLines(
  guests: DemoGuest[],
  timings: DemoTimings,
  transport: DemoTransport,
  paths: HostConfigPaths,
): string[] {
  const vms = guests.filter((g) => g.kind === 'vm');
  const cts = guests.filter((g) => g.kind === 'ct');
  const lines = [
    '# Written by the lab demo (npm start): short timings so that one cycle takes well under a minute.',
    `VM_IDS="${vms.map((g) => g.id).join(' ')}"`,
    `CONTAINER_IDS="${cts.map((g) => g.id).join(' ')}"`,
    `IDLE_THRESHOLD_MINUTES=${timings.hostIdleSeconds}s`,
    `CHECK_INTERVAL=${timings.checkIntervalSeconds}`,
    `AGENT_STALE_SECONDS=${timings.agentStaleSeconds}`,
    `PRE_SLEEP_WARNING_SECONDS=${timings.warningSeconds}`,
    `WAKE_DELAY=${timings.wakeDelaySeconds}`,
    `WAKE_GRACE_PERIOD=${timings.wakeGraceSeconds}`,
    `HIBERNATE_TIMEOUT=${timings.hibernateTimeoutSeconds}`,
    `SHUTDOWN_TIMEOUT=${timings.shutdownTimeoutSeconds}`,
    `PROXMOX_TIMEOUT=${timings.proxmoxTimeoutSeconds}`,
    'SLEEP_PARALLELISM=0',
    '# This machine is not the host: its own logins, inhibitors and units must not keep the demo awake.',
    'CHECK_SSH_SESSIONS=0',
    'CHECK_SLEEP_INHIBITORS=0',
    'HOST_BLOCKING_UNITS=""',
    `METRICS_FILE=${paths.metricsFile}`,
    `IDLE_MONITOR_LOG=${paths.work}/proxmox-idle-monitor.log`,
    `SLEEP_MANAGER_LOG=${paths.work}/proxmox-sleep-manager.log`,
  ];
  for (const g of guests) {
    const p = `${g.kind === 'vm' ? 'VM' : 'CONTAINER'}_${g.id}_`;
    lines.push(`${p}NAME=${g.name}`, `${p}IDLE_TIMEOUT=${g.idleTimeoutSeconds}s`);
    if (!g.agent) {
      lines.push(`${p}TRANSPORT=none`, `${p}ON_AGENT_MISSING=cpu`);
      continue;
    }
    if (g.kind === 'ct') continue;
    if (transport === 'qga') lines.push(`${p}STATUS_PATH=${paths.statusFile(g.id)}`);
    else lines.push(`${p}TRANSPORT=virtiofs`, `${p}VIRTIOFS_DIR=${paths.sharedDir(g.id)}`);
  }
  return lines;
}
