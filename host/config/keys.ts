/**
 * Every configuration key, declared once: its type, default, and the text that explains it. This table
 * drives the validator, the environment overrides, `proxmox-sleep config --keys`, docs/config.md and
 * installer/proxmox-sleep.conf.example.
 */
import {
  absolutePath,
  fingerprint,
  flag,
  guestIdList,
  integer,
  list,
  minutes,
  oneOf,
  text,
  url,
  type ValueType,
} from './value-types';

export type GuestKind = 'vm' | 'ct';

export const SLEEP_ACTIONS = ['hibernate', 'shutdown', 'keep_running', 'ignore'] as const;
export type SleepAction = (typeof SLEEP_ACTIONS)[number];
export const TRANSPORTS = ['qga-file', 'qga-exec', 'ssh', 'virtiofs', 'lxc', 'none'] as const;
export type Transport = (typeof TRANSPORTS)[number];
export const AGENT_MISSING_POLICIES = ['cpu', 'idle', 'active'] as const;
export type AgentMissingPolicy = (typeof AGENT_MISSING_POLICIES)[number];
export const FAILURE_POLICIES = ['continue', 'abort'] as const;
export type FailurePolicy = (typeof FAILURE_POLICIES)[number];
export const GPU_VENDORS = ['auto', 'nvidia', 'amd'] as const;
export type GpuVendor = (typeof GPU_VENDORS)[number];
export const GUEST_AGENT_ACCESS_MODES = ['pvesh', 'api', 'socket'] as const;
export type GuestAgentAccess = (typeof GUEST_AGENT_ACCESS_MODES)[number];

export type Section =
  | 'Guests'
  | 'Idle detection'
  | 'Host checks'
  | 'Sleep and wake'
  | 'Proxmox access'
  | 'Logging and monitoring'
  | 'Legacy (single VM)';

/** Sections in the order the docs and the example file present them. */
export const SECTIONS: readonly Section[] = [
  'Guests',
  'Idle detection',
  'Host checks',
  'Sleep and wake',
  'Proxmox access',
  'Logging and monitoring',
  'Legacy (single VM)',
];

export interface GlobalKey<T> {
  readonly name: string;
  readonly type: ValueType<T>;
  readonly default: T;
  readonly section: Section;
  readonly doc: string;
  /** Shown in the example config as a commented sample when the default is empty. */
  readonly example?: string;
  /** Only meaningful for the legacy single-VM shim. */
  readonly legacy?: boolean;
  /** An invalid value is only a warning (the previous release did not validate it). */
  readonly lenient?: boolean;
  /** Kept so 1.x files stay valid, but nothing reads it: setting it gives this warning. */
  readonly ignored?: string;
}

const g = <T>(key: GlobalKey<T>): GlobalKey<T> => key;

export const GLOBAL_KEYS = {
  vmIds: g({
    name: 'VM_IDS',
    type: guestIdList,
    default: [],
    section: 'Guests',
    doc: 'VMs to manage, by Proxmox ID, separated by spaces. Each VM is configured with VM_<id>_* keys.',
    example: '100 101',
  }),
  containerIds: g({
    name: 'CONTAINER_IDS',
    type: guestIdList,
    default: [],
    section: 'Guests',
    doc: 'LXC containers to manage, by Proxmox ID, separated by spaces. Each is configured with CONTAINER_<id>_* keys.',
    example: '200',
  }),
  idleThresholdMinutes: g({
    name: 'IDLE_THRESHOLD_MINUTES',
    type: minutes(0, 100000),
    default: 15,
    section: 'Idle detection',
    doc: 'How long the host and every monitored guest must be idle before the host sleeps, in minutes; a unit allows seconds for trials (45s). 0 turns auto-sleep off (status shows DISABLED). Guests can override it with VM_<id>_IDLE_TIMEOUT.',
  }),
  checkInterval: g({
    name: 'CHECK_INTERVAL',
    type: integer(1, 86400, 'seconds'),
    default: 60,
    section: 'Idle detection',
    doc: 'Seconds between checks when running as a daemon. Input within the last CHECK_INTERVAL seconds counts as "user active".',
  }),
  cpuIdleThreshold: g({
    name: 'CPU_IDLE_THRESHOLD',
    type: integer(0, 100000, 'percent'),
    default: 15,
    section: 'Idle detection',
    doc: 'A guest without an answering agent counts as active while its CPU usage, as Proxmox reports it, is above this percentage (strictly above: 15 against 15 is idle).',
  }),
  gpuIdleThreshold: g({
    name: 'GPU_IDLE_THRESHOLD',
    type: integer(0, 100, 'percent'),
    default: 10,
    section: 'Idle detection',
    doc: "Containers share the host's GPU: its utilisation (the busiest GPU, nvidia-smi) above this percentage keeps every monitored running container active. VMs with a passed-through GPU are measured by their agent, with the threshold in its agent.json.",
  }),
  gpuVendor: g({
    name: 'GPU_VENDOR',
    type: oneOf(GPU_VENDORS),
    default: 'auto',
    section: 'Idle detection',
    lenient: true,
    ignored:
      "is ignored since 2.0: each guest's agent reads its own GPUs (nvidia-smi, rocm-smi, performance counters) and the host reads its own with nvidia-smi",
    doc: "Release 1.x: how the host read a VM's GPU. Ignored since 2.0: the guest agent reads the guest's GPUs itself, and the host reads its own GPU (for containers) with nvidia-smi.",
  }),
  agentStaleSeconds: g({
    name: 'AGENT_STALE_SECONDS',
    type: integer(1, 86400, 'seconds'),
    default: 120,
    section: 'Idle detection',
    doc: "A guest agent whose status counter (seq) has not moved for this long, measured by the host's clock, counts as missing.",
  }),
  onAgentMissing: g({
    name: 'ON_AGENT_MISSING',
    type: oneOf(AGENT_MISSING_POLICIES),
    default: 'cpu',
    section: 'Idle detection',
    doc: 'Default for VM_<id>_ON_AGENT_MISSING: what a guest whose agent does not answer (or answers nonsense) counts as. cpu = active while its CPU is above its threshold; idle; active.',
  }),
  checkSshSessions: g({
    name: 'CHECK_SSH_SESSIONS',
    type: flag,
    default: true,
    section: 'Host checks',
    doc: 'Keep the host awake while anyone is logged in to it on a pseudo-terminal (SSH, tmux, a web console).',
  }),
  hostBlockingProcesses: g({
    name: 'HOST_BLOCKING_PROCESSES',
    type: list({ emptyIsUnset: true, describe: 'comma-separated patterns' }),
    default: [],
    section: 'Host checks',
    doc: 'Keep the host awake while a process whose full command line matches one of these patterns runs on the host (pgrep -f semantics, so names longer than 15 characters work).',
    example: 'unattended-upgrade,vzdump',
  }),
  hostBlockingUnits: g({
    name: 'HOST_BLOCKING_UNITS',
    type: list({ emptyIsUnset: false, describe: 'comma-separated systemd units' }),
    default: ['apt-daily.service', 'apt-daily-upgrade.service'],
    section: 'Host checks',
    doc: 'Keep the host awake while one of these systemd units is active. Set it to "" to check none.',
  }),
  checkSleepInhibitors: g({
    name: 'CHECK_SLEEP_INHIBITORS',
    type: flag,
    default: true,
    section: 'Host checks',
    doc: "Keep the host awake while a program holds a systemd-logind sleep inhibitor on the host (what includes 'sleep', mode block or delay).",
  }),
  wakeGracePeriod: g({
    name: 'WAKE_GRACE_PERIOD',
    type: integer(0, 86400, 'seconds'),
    default: 60,
    section: 'Sleep and wake',
    doc: 'After a wake, the host does not go back to sleep for at least this long.',
  }),
  hibernateTimeout: g({
    name: 'HIBERNATE_TIMEOUT',
    type: integer(1, 86400, 'seconds'),
    default: 300,
    section: 'Sleep and wake',
    doc: 'How long a VM may take to hibernate before it is shut down instead. Per VM: VM_<id>_HIBERNATE_TIMEOUT.',
  }),
  shutdownTimeout: g({
    name: 'SHUTDOWN_TIMEOUT',
    type: integer(1, 86400, 'seconds'),
    default: 120,
    section: 'Sleep and wake',
    doc: 'How long a guest may take to shut down gracefully before it is stopped by force. Per guest: VM_<id>_SHUTDOWN_TIMEOUT.',
  }),
  wakeDelay: g({
    name: 'WAKE_DELAY',
    type: integer(0, 3600, 'seconds'),
    default: 5,
    section: 'Sleep and wake',
    doc: 'Seconds to wait after wake before starting guests again (lets devices and storage settle). Waited once, not per guest.',
  }),
  sleepParallelism: g({
    name: 'SLEEP_PARALLELISM',
    type: integer(0, 64),
    default: 2,
    section: 'Sleep and wake',
    doc: 'How many guests are hibernated, shut down or started at the same time; 0 = all at once. The default 2 keeps two RAM images writing at once: faster than one at a time, without flooding a single disk.',
  }),
  preSleepWarningSeconds: g({
    name: 'PRE_SLEEP_WARNING_SECONDS',
    type: integer(0, 3600, 'seconds'),
    default: 60,
    section: 'Sleep and wake',
    doc: 'Before sleeping, tell every guest agent the host will sleep in this many seconds (the tray shows a notification with "Keep awake"), then check again. 0 = no warning.',
  }),
  onFailure: g({
    name: 'ON_FAILURE',
    type: oneOf(FAILURE_POLICIES),
    default: 'continue',
    section: 'Sleep and wake',
    doc: 'Default for VM_<id>_ON_FAILURE: when a guest cannot be hibernated or shut down, continue (force-stop it and sleep anyway) or abort (start again what was stopped and stay awake).',
  }),
  preSleepNonblocking: g({
    name: 'PRE_SLEEP_NONBLOCKING',
    type: flag,
    default: true,
    section: 'Sleep and wake',
    doc: 'When the sleep hook runs pre-sleep for a suspend started by someone else, report success even if a guest failed, so the suspend is never blocked. 0 = report the real result.',
  }),
  proxmoxTimeout: g({
    name: 'PROXMOX_TIMEOUT',
    type: integer(1, 3600, 'seconds'),
    default: 15,
    section: 'Proxmox access',
    doc: 'How long one qm/pct/pvesh call or API request may take before it counts as hung. A shutdown gets its own timeout (SHUTDOWN_TIMEOUT) plus twice this; a start gets eight times this.',
  }),
  guestAgentAccess: g({
    name: 'GUEST_AGENT_ACCESS',
    type: oneOf(GUEST_AGENT_ACCESS_MODES),
    default: 'pvesh',
    section: 'Proxmox access',
    doc: "How the host talks to a VM's QEMU guest agent: pvesh (Proxmox's own command, zero setup), api (the REST API, needs PROXMOX_API_URL and a token), socket (straight to the VM's agent socket: fastest; one short connection per exchange).",
  }),
  qgaSocketDir: g({
    name: 'QGA_SOCKET_DIR',
    type: absolutePath,
    default: '/var/run/qemu-server',
    section: 'Proxmox access',
    doc: "Where the VMs' guest agent sockets (<id>.qga) are, for GUEST_AGENT_ACCESS=socket.",
  }),
  proxmoxApiUrl: g({
    name: 'PROXMOX_API_URL',
    type: url,
    default: '',
    section: 'Proxmox access',
    doc: 'Use the Proxmox REST API instead of qm/pct/pvesh, e.g. https://127.0.0.1:8006. Empty = use the commands.',
    example: 'https://127.0.0.1:8006',
  }),
  proxmoxApiTokenFile: g({
    name: 'PROXMOX_API_TOKEN_FILE',
    type: absolutePath,
    default: '',
    section: 'Proxmox access',
    doc: 'File holding the API token as USER@REALM!TOKENID=SECRET (keep it mode 0600).',
    example: '/etc/proxmox-sleep.token',
  }),
  proxmoxApiFingerprint: g({
    name: 'PROXMOX_API_FINGERPRINT',
    type: fingerprint,
    default: '',
    section: 'Proxmox access',
    doc: "SHA-256 fingerprint of the API's certificate to pin (pvenode cert info). Empty = trust the cluster CA in /etc/pve/pve-root-ca.pem.",
  }),
  debug: g({
    name: 'DEBUG',
    type: flag,
    default: false,
    section: 'Logging and monitoring',
    doc: 'Log every check and decision.',
  }),
  idleMonitorLog: g({
    name: 'IDLE_MONITOR_LOG',
    type: absolutePath,
    default: '/var/log/proxmox-idle-monitor.log',
    section: 'Logging and monitoring',
    doc: 'Log file of the monitor (check, tick, daemon).',
  }),
  sleepManagerLog: g({
    name: 'SLEEP_MANAGER_LOG',
    type: absolutePath,
    default: '/var/log/proxmox-sleep-manager.log',
    section: 'Logging and monitoring',
    doc: 'Log file of the sleep sequence (pre-sleep, post-wake, resume).',
  }),
  metricsFile: g({
    name: 'METRICS_FILE',
    type: absolutePath,
    default: '',
    section: 'Logging and monitoring',
    doc: "Write Prometheus metrics (per-guest idle state and reasons, the countdown) to this file for node_exporter's textfile collector. Empty = off.",
    example: '/var/lib/prometheus/node-exporter/proxmox-sleep.prom',
  }),
  vmid: g({
    name: 'VMID',
    type: text({ describe: 'guest ID' }),
    default: '',
    section: 'Legacy (single VM)',
    legacy: true,
    doc: 'Single-VM configuration of release 1.x. Used only when VM_IDS is empty: that VM is then managed as VM_IDS=<VMID> with hibernate and resume.',
  }),
  vmName: g({
    name: 'VM_NAME',
    type: text(),
    default: '',
    section: 'Legacy (single VM)',
    legacy: true,
    doc: 'Name of the legacy VMID VM (default windows-vm).',
  }),
  gamingProcesses: g({
    name: 'GAMING_PROCESSES',
    type: list({ emptyIsUnset: false }),
    default: [],
    section: 'Legacy (single VM)',
    legacy: true,
    doc: 'Process list of the legacy VMID VM. Unset = the historical launcher list (steam.exe, EpicGamesLauncher.exe, …); "" = no process detection.',
  }),
} as const;

export type GlobalField = keyof typeof GLOBAL_KEYS;
type ValueOf<K> = K extends GlobalKey<infer T> ? T : never;
export type GlobalConfig = { -readonly [F in GlobalField]: ValueOf<(typeof GLOBAL_KEYS)[F]> };

/** Environment variables that are never read from the file. */
export const ENV_ONLY = {
  CONFIG_FILE: 'The configuration file to read (default /etc/proxmox-sleep.conf; --config wins).',
  PROXMOX_SLEEP_STATE_DIR: 'Where state files live (default /run/proxmox-sleep).',
} as const;

export type GuestDefault<T> =
  | { value: T }
  | { perKind: Record<GuestKind, T> }
  | { fromGlobal: GlobalField }
  | { computed: (kind: GuestKind, id: number) => T };

export interface GuestKey<T> {
  readonly suffix: string;
  readonly kinds: readonly GuestKind[];
  readonly type: ValueType<T>;
  readonly default: GuestDefault<T>;
  readonly doc: string;
  readonly example?: string;
  readonly lenient?: boolean;
  readonly ignored?: string;
}

const k = <T>(key: GuestKey<T>): GuestKey<T> => key;
const BOTH: readonly GuestKind[] = ['vm', 'ct'];
const VM: readonly GuestKind[] = ['vm'];

export const GUEST_KEYS = {
  name: k({
    suffix: 'NAME',
    kinds: BOTH,
    type: text({ max: 64 }),
    default: { computed: (kind, id) => `${kind}-${id}` },
    doc: 'A name for logs and status (default vm-<id> / ct-<id>).',
    example: 'gaming-pc',
  }),
  monitor: k({
    suffix: 'MONITOR',
    kinds: BOTH,
    type: flag,
    default: { value: true },
    doc: 'Whether this guest can keep the host awake. 0 = it is still put to sleep and resumed, but never blocks sleep.',
  }),
  sleepAction: k({
    suffix: 'SLEEP_ACTION',
    kinds: BOTH,
    type: oneOf(SLEEP_ACTIONS),
    default: { perKind: { vm: 'hibernate', ct: 'shutdown' } },
    doc: 'What happens to this guest before the host sleeps: hibernate (the guest saves its RAM to its disk and resumes exactly where it was), shutdown, keep_running (dangerous with a passed-through GPU), ignore. Containers cannot hibernate: hibernate means shutdown for them. An invalid value falls back to hibernate for VMs and shutdown for containers, never to ignore.',
  }),
  resumeOnWake: k({
    suffix: 'RESUME_ON_WAKE',
    kinds: BOTH,
    type: flag,
    default: { value: true },
    doc: 'Start this guest again after the host wakes, if this tool stopped it.',
  }),
  idleTimeout: k({
    suffix: 'IDLE_TIMEOUT',
    kinds: BOTH,
    type: minutes(1, 100000),
    default: { fromGlobal: 'idleThresholdMinutes' },
    doc: 'How long this guest must be idle before it lets the host sleep (default IDLE_THRESHOLD_MINUTES).',
  }),
  gamingProcesses: k({
    suffix: 'GAMING_PROCESSES',
    kinds: BOTH,
    type: list({ emptyIsUnset: true }),
    default: { value: [] },
    doc: "Processes that keep the host awake while they run in this guest, checked by the host itself whenever the guest has no usable agent: through the QEMU guest agent for VMs (Get-Process on Windows, ps elsewhere), with pct exec for containers. Exact names, case-insensitive; '.exe' is ignored for VMs; containers match the basename of argv[0]. Guests with an agent list their processes in its agent.json.",
    example: 'steam.exe,EpicGamesLauncher.exe',
  }),
  checkPowerRequests: k({
    suffix: 'CHECK_POWER_REQUESTS',
    kinds: VM,
    type: flag,
    default: { value: true },
    doc: 'Whether power requests inside the guest (Windows powercfg /requests, macOS assertions, Linux sleep inhibitors) keep the host awake.',
  }),
  checkUserIdle: k({
    suffix: 'CHECK_USER_IDLE',
    kinds: VM,
    type: flag,
    default: { value: true },
    doc: 'Whether keyboard and mouse input in the guest keeps the host awake.',
  }),
  cpuIdleThreshold: k({
    suffix: 'CPU_IDLE_THRESHOLD',
    kinds: BOTH,
    type: integer(0, 100000, 'percent'),
    default: { fromGlobal: 'cpuIdleThreshold' },
    doc: 'CPU threshold of this guest for the no-agent fallback (default CPU_IDLE_THRESHOLD).',
  }),
  gpuIdleThreshold: k({
    suffix: 'GPU_IDLE_THRESHOLD',
    kinds: ['ct'],
    type: integer(0, 100, 'percent'),
    default: { fromGlobal: 'gpuIdleThreshold' },
    doc: "Host-GPU threshold for this container (default GPU_IDLE_THRESHOLD). For VMs, set the GPU threshold in the guest agent's agent.json.",
  }),
  gpuVendor: k({
    suffix: 'GPU_VENDOR',
    kinds: VM,
    type: oneOf(GPU_VENDORS),
    default: { fromGlobal: 'gpuVendor' },
    lenient: true,
    ignored: "is ignored since 2.0: the guest agent reads the guest's GPUs itself",
    doc: "Release 1.x: GPU vendor of this VM. Ignored since 2.0 (the agent reads the guest's GPUs itself).",
  }),
  transport: k({
    suffix: 'TRANSPORT',
    kinds: BOTH,
    type: oneOf(TRANSPORTS),
    default: { perKind: { vm: 'qga-file', ct: 'lxc' } },
    doc: "How the host reads this guest's status: qga-file (read the agent's status file through the QEMU guest agent; default for VMs), qga-exec (run proxmox-sleep-agent status in the guest), ssh (for macOS guests), virtiofs (read status.json from VIRTIOFS_DIR on the host), lxc (read the file inside the container; default for containers), none (no agent: only the fallback applies).",
  }),
  statusPath: k({
    suffix: 'STATUS_PATH',
    kinds: BOTH,
    type: text({ max: 1024 }),
    default: { value: '' },
    doc: "Path of the agent's status file inside the guest. Empty = the default for the guest's OS (asked once from the guest agent).",
  }),
  sshTarget: k({
    suffix: 'SSH_TARGET',
    kinds: BOTH,
    type: text({
      describe: '[user@]host',
      pattern: /^([A-Za-z0-9._-]+@)?[A-Za-z0-9.:_-]+$/,
      patternMessage: 'must be [user@]host, without spaces or options',
    }),
    default: { value: '' },
    doc: "For TRANSPORT=ssh: [user@]host of the guest. The host key must already be in root's known_hosts (strict checking).",
    example: 'admin@192.168.1.50',
  }),
  sshPort: k({
    suffix: 'SSH_PORT',
    kinds: BOTH,
    type: integer(1, 65535),
    default: { value: 22 },
    doc: 'For TRANSPORT=ssh: the SSH port.',
  }),
  sshKey: k({
    suffix: 'SSH_KEY',
    kinds: BOTH,
    type: absolutePath,
    default: { value: '' },
    doc: "For TRANSPORT=ssh: private key file. Empty = root's default keys.",
  }),
  virtiofsDir: k({
    suffix: 'VIRTIOFS_DIR',
    kinds: VM,
    type: absolutePath,
    default: { value: '' },
    doc: 'For TRANSPORT=virtiofs: the host directory shared into the VM, where the agent writes status.json.',
    example: '/srv/proxmox-sleep/100',
  }),
  onAgentMissing: k({
    suffix: 'ON_AGENT_MISSING',
    kinds: BOTH,
    type: oneOf(AGENT_MISSING_POLICIES),
    default: { fromGlobal: 'onAgentMissing' },
    doc: 'What this guest counts as when its agent does not answer or its status is invalid or stale (default ON_AGENT_MISSING).',
  }),
  onFailure: k({
    suffix: 'ON_FAILURE',
    kinds: BOTH,
    type: oneOf(FAILURE_POLICIES),
    default: { fromGlobal: 'onFailure' },
    doc: 'What happens when this guest cannot be put to sleep (default ON_FAILURE).',
  }),
  hibernateTimeout: k({
    suffix: 'HIBERNATE_TIMEOUT',
    kinds: VM,
    type: integer(1, 86400, 'seconds'),
    default: { fromGlobal: 'hibernateTimeout' },
    doc: 'Hibernate timeout of this VM (default HIBERNATE_TIMEOUT).',
  }),
  shutdownTimeout: k({
    suffix: 'SHUTDOWN_TIMEOUT',
    kinds: BOTH,
    type: integer(1, 86400, 'seconds'),
    default: { fromGlobal: 'shutdownTimeout' },
    doc: 'Shutdown timeout of this guest (default SHUTDOWN_TIMEOUT).',
  }),
} as const;

export type GuestField = keyof typeof GUEST_KEYS;
type GuestValueOf<K> = K extends GuestKey<infer T> ? T : never;
export type GuestSettings = { -readonly [F in GuestField]: GuestValueOf<(typeof GUEST_KEYS)[F]> };

export const GUEST_PREFIX: Record<GuestKind, string> = { vm: 'VM', ct: 'CONTAINER' };
export const KIND_LABEL: Record<GuestKind, string> = { vm: 'VM', ct: 'container' };

/** The historical GAMING_PROCESSES default of the legacy single-VM configuration. */
export const LEGACY_GAMING_PROCESSES = [
  'steam.exe',
  'EpicGamesLauncher.exe',
  'GalaxyClient.exe',
  'Battle.net.exe',
  'origin.exe',
  'upc.exe',
];
export const LEGACY_VM_NAME = 'windows-vm';

/** The global keys of one section, in declaration order. */
export function globalKeysIn(section: Section): GlobalKey<unknown>[] {
  return Object.values(GLOBAL_KEYS).filter((k) => k.section === section) as GlobalKey<unknown>[];
}
