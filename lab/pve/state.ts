/**
 * The lab's Proxmox state: one JSON file per guest under `<lab>/guests/`, changed under a per-guest lock, plus
 * append-only logs of every tool call and every guest event (with millisecond timestamps, so tests can prove
 * that actions overlapped). Every reader first applies transitions whose time has come ("materialises"), so a
 * guest that takes 3 s to hibernate reads as running for 3 s and stopped afterwards, whoever asks.
 *
 * Kept free of heavy imports: the emulated qm/pct/pvesh start a Node process per call.
 */
import {
  appendFileSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'fs';
import * as os from 'os';
import * as path from 'path';

export type GuestType = 'qemu' | 'lxc';
export type Power = 'running' | 'stopped';

/** Scripted behaviour of one guest, for the fault matrix. Every field is optional. */
export interface LabBehaviour {
  /** How long the guest's own hibernation takes once asked (agent `hibernate` or QGA suspend-disk). Default 1. */
  hibernateSeconds?: number;
  /** How long a graceful shutdown (ACPI or guest agent) takes. Default 1. */
  shutdownSeconds?: number;
  /** The guest ignores ACPI and guest-agent shutdown requests (`qm shutdown` times out). */
  ignoresShutdown?: boolean;
  /** How long `qm start` / `pct start` takes before the guest runs (QEMU starting). Default 0. */
  startSeconds?: number;
  /** Starts that fail before one succeeds; -1 = every start fails. */
  startFailures?: number;
  /** qm/pct verbs that hang for this guest until the caller gives up: status, start, shutdown, stop, guest. */
  hang?: string[];
  /** The placeholder QEMU process outlives the stop by this long. */
  qemuLingerSeconds?: number;
  /** Once stopped, "the user" starts the guest again after this long. */
  userStartsAfterSeconds?: number;
}

/** What runs inside a light guest besides its qemu-ga. */
export interface LightOptions {
  /** Run a real `proxmox-sleep-agent run` on the guest's files while it runs. */
  agentDaemon?: boolean;
  /** No guest agent at all (no qemu-ga). */
  agentDead?: boolean;
  /** Folders put first on the PATH of the guest's processes (e.g. a scripted nvidia-smi). */
  path?: string[];
  /** Extra environment of the guest's processes (e.g. DISPLAY of the guest's X server). */
  env?: Record<string, string>;
}

export interface PendingTransition {
  to: Power;
  /** Epoch ms at which it happens. */
  at: number;
  cause: 'hibernate' | 'shutdown' | 'user-start';
}

export interface LabGuest {
  id: number;
  type: GuestType;
  name: string;
  status: Power;
  /** QMP run state for running VMs (e.g. `paused`); defaults to running. */
  qmpstatus?: string;
  /** CPU as a fraction of the guest's CPUs (Proxmox's unit). */
  cpu?: number;
  maxcpu?: number;
  /** Fixed uptime in seconds; when absent, counted from the lab start. */
  uptime?: number;
  startedAt?: number | null;
  /** QEMU guest agent enabled in the VM's configuration. */
  agent?: boolean;
  /** VMs: the guest agent socket. */
  qga?: string;
  /** Containers: the folder standing in for the root filesystem. */
  rootfs?: string;
  /**
   * `static`: the lab starts no guest processes (a guest agent, if any, is managed by whoever made the guest).
   * `light`: the lab runs a real qemu-ga (and optionally a real `proxmox-sleep-agent run`) while the guest
   * runs, and stops them when it stops.
   * `qemu`: a real virtual machine (lab/qemu): `qm start` launches QEMU, the guest hibernates and shuts down
   * by itself, and its power state is whether its QEMU process runs.
   */
  backend: 'static' | 'light' | 'qemu';
  /** Run a placeholder `kvm -id <id>` process while running, as Proxmox's QEMU looks in /proc. */
  kvm?: boolean;
  light?: LightOptions;
  /** QEMU guests: the VM's run folder (lab/qemu/vm.ts). */
  qemu?: { runDir: string };
  /** QEMU guests: the lab itself is stopping this VM, so its QEMU exiting is a forced stop. */
  expectStop?: boolean;
  behaviour: LabBehaviour;
  pending?: PendingTransition | null;
  /** The guest hibernated itself: the next start resumes it. */
  hibernated?: boolean;
  pids?: { kvm?: number; qga?: number; agent?: number };
}

export interface CallRecord {
  tool: string;
  argv: string[];
  pid: number;
  start: number;
  end: number | null;
  exit: number | null;
}

export interface GuestEvent {
  at: number;
  id: number;
  event: string;
  detail?: string;
}

export function labDir(): string {
  const dir = process.env.LAB_PVE_DIR;
  if (!dir) {
    process.stderr.write('LAB_PVE_DIR is not set (the lab Proxmox emulation needs its state folder)\n');
    process.exit(2);
  }
  return dir;
}

export const paths = (dir: string) => ({
  guests: path.join(dir, 'guests'),
  guest: (id: number | string) => path.join(dir, 'guests', `${id}.json`),
  lock: (id: number | string) => path.join(dir, 'guests', `${id}.lock`),
  guestDir: (id: number | string) => path.join(dir, 'guest', String(id)),
  sockets: path.join(dir, 'qemu-server'),
  calls: path.join(dir, 'calls.log'),
  events: path.join(dir, 'events.log'),
  pids: path.join(dir, 'pids.log'),
  suspends: path.join(dir, 'suspend.log'),
  node: path.join(dir, 'node.json'),
  host: path.join(dir, 'host.json'),
});

export function nodeName(dir: string): string {
  try {
    const n = (JSON.parse(readFileSync(paths(dir).node, 'utf8')) as { node?: string }).node;
    if (n) return n;
  } catch {
    // no node.json: the machine's short hostname, as Proxmox uses
  }
  return os.hostname().split('.')[0];
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * A per-guest lock: a file created with O_EXCL holding the owner's pid. A lock whose owner is gone, or
 * older than 10 s (nothing holds it that long), is broken.
 */
export function withGuestLock<T>(dir: string, id: number | string, fn: () => T): T {
  const file = paths(dir).lock(id);
  const deadline = Date.now() + 10000;
  for (;;) {
    try {
      const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (lockIsStale(file)) {
        try {
          unlinkSync(file);
        } catch {
          // someone else broke it first
        }
        continue;
      }
      if (Date.now() > deadline) throw new Error(`lab: guest ${id} stays locked (${file})`, { cause: e });
      sleepSync(5);
    }
  }
  try {
    return fn();
  } finally {
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  }
}

function lockIsStale(file: string): boolean {
  try {
    const pid = Number(readFileSync(file, 'utf8'));
    if (Date.now() - statSync(file).mtimeMs > 10000) return true;
    if (!Number.isInteger(pid) || pid <= 0) return Date.now() - statSync(file).mtimeMs > 1000;
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export function readGuest(dir: string, id: number | string): LabGuest | null {
  try {
    return JSON.parse(readFileSync(paths(dir).guest(id), 'utf8')) as LabGuest;
  } catch {
    return null;
  }
}

export function writeGuest(dir: string, guest: LabGuest): void {
  const file = paths(dir).guest(guest.id);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(guest, null, 1));
  renameSync(temp, file);
}

export function guestIds(dir: string): number[] {
  if (!existsSync(paths(dir).guests)) return [];
  return readdirSync(paths(dir).guests)
    .filter((f) => /^[0-9]+\.json$/.test(f))
    .map((f) => Number(f.slice(0, -5)))
    .sort((a, b) => a - b);
}

export function ensureLayout(dir: string): void {
  for (const d of [paths(dir).guests, paths(dir).sockets]) mkdirSync(d, { recursive: true });
}

export function logEvent(dir: string, id: number, event: string, detail?: string): void {
  const record: GuestEvent = { at: Date.now(), id, event };
  if (detail !== undefined) record.detail = detail;
  appendFileSync(paths(dir).events, `${JSON.stringify(record)}\n`);
}

/** Records the call now and its end (exit code, time) when this process exits normally. */
export function logCall(dir: string, tool: string, argv: string[]): void {
  const file = paths(dir).calls;
  appendFileSync(file, `${JSON.stringify({ tool, argv, pid: process.pid, start: Date.now() })}\n`);
  process.on('exit', (code) => {
    try {
      appendFileSync(file, `${JSON.stringify({ pid: process.pid, end: Date.now(), exit: code })}\n`);
    } catch {
      // the lab folder is gone (test cleanup)
    }
  });
}

export function readCalls(dir: string): CallRecord[] {
  let text: string;
  try {
    text = readFileSync(paths(dir).calls, 'utf8');
  } catch {
    return [];
  }
  const calls: CallRecord[] = [];
  const open = new Map<number, CallRecord>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line) as Partial<CallRecord> & { pid: number };
    if (r.tool !== undefined) {
      const call: CallRecord = {
        tool: r.tool,
        argv: r.argv ?? [],
        pid: r.pid,
        start: r.start ?? 0,
        end: null,
        exit: null,
      };
      calls.push(call);
      open.set(r.pid, call);
    } else {
      const call = open.get(r.pid);
      if (call) {
        call.end = r.end ?? null;
        call.exit = r.exit ?? null;
        open.delete(r.pid);
      }
    }
  }
  return calls;
}

/** The records of a JSON-lines log; none when the file is missing or unreadable. */
export function readJsonLines<T>(file: string): T[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as T);
  } catch {
    return [];
  }
}

export function readEvents(dir: string): GuestEvent[] {
  return readJsonLines<GuestEvent>(paths(dir).events);
}

export function recordPid(dir: string, pid: number, what: string): void {
  appendFileSync(paths(dir).pids, `${JSON.stringify({ pid, what })}\n`);
}

export function recordedPids(dir: string): { pid: number; what: string }[] {
  return readJsonLines<{ pid: number; what: string }>(paths(dir).pids);
}
