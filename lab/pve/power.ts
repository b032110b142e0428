/**
 * Power changes of lab guests, as Proxmox and the guest OS would make them, including the scripted
 * behaviours of the fault matrix. Transitions that take time (a hibernation, a graceful shutdown, the user
 * starting a guest later) are stored as `pending` with the time they happen; a detached timer process applies
 * them on time and every reader applies them when due, so nobody has to poll for them to happen.
 *
 * Backends decide which processes stand for a running guest: `static` none (or only the placeholder QEMU),
 * `light` a real qemu-ga and optionally a real agent daemon, `qemu` a real VM (its launch and forced stop
 * are asynchronous and live in qemu-power.ts; here its state follows its QEMU process).
 */
import { existsSync, mkdirSync, unlinkSync, writeFileSync } from 'fs';
import * as path from 'path';
import { runningPid } from '../qemu/process';
import { runFile } from '../qemu/qemu-args';
import { swapState } from '../qemu/swap-signature';
import { AGENT_CLI, LAB_GUEST_BIN, LAB_PVE_SOURCE, LAB_TOOLS, killIfOurs, spawnDetached } from './processes';
import {
  logEvent,
  paths,
  readGuest,
  withGuestLock,
  writeGuest,
  type LabGuest,
  type PendingTransition,
} from './state';

/** RPCs a lab qemu-ga refuses: they would act on this machine, not on a guest. guest-suspend-disk stays
 * allowed: qemu-ga runs `systemctl hibernate` from its PATH, which in a lab guest is the lab's guest systemctl. */
export const LIGHT_QGA_BLOCKED = [
  'guest-shutdown',
  'guest-suspend-ram',
  'guest-suspend-hybrid',
  'guest-set-user-password',
  'guest-set-time',
  'guest-fsfreeze-freeze',
  'guest-fsfreeze-freeze-list',
  'guest-set-vcpus',
  'guest-set-memory-blocks',
].join(',');

export function qgaSocketOf(dir: string, id: number): string {
  return path.join(paths(dir).sockets, `${id}.qga`);
}

function startTimer(dir: string, id: number): void {
  const timer = path.join(LAB_TOOLS, 'timer.js');
  spawnDetached(dir, `timer ${id}`, process.execPath, [timer, dir, String(id)]);
}

function setPending(dir: string, g: LabGuest, pending: PendingTransition): void {
  g.pending = pending;
  startTimer(dir, g.id);
}

function startProcesses(dir: string, g: LabGuest): void {
  g.pids = {};
  if (g.kvm && g.type === 'qemu') {
    g.pids.kvm = spawnDetached(dir, `kvm ${g.id}`, path.join(LAB_PVE_SOURCE, 'placeholder', 'kvm'), [
      '-id',
      String(g.id),
      '-name',
      g.name,
      '-lab',
      dir,
    ]);
  }
  if (g.backend !== 'light') return;
  const guestDir = paths(dir).guestDir(g.id);
  const env = {
    ...g.light?.env,
    PATH: [...(g.light?.path ?? []), LAB_GUEST_BIN, process.env.PATH ?? '/usr/bin:/bin'].join(':'),
    LAB_GUEST_ID: String(g.id),
    LAB_GUEST_DIR: guestDir,
  };
  if (g.type === 'qemu' && !g.light?.agentDead) {
    mkdirSync(path.join(guestDir, 'qga-state'), { recursive: true });
    const socket = g.qga ?? qgaSocketOf(dir, g.id);
    if (existsSync(socket)) unlinkSync(socket);
    g.pids.qga = spawnDetached(
      dir,
      `qemu-ga ${g.id}`,
      QEMU_GA,
      [
        '-m',
        'unix-listen',
        '-p',
        socket,
        '-t',
        path.join(guestDir, 'qga-state'),
        '-l',
        path.join(guestDir, 'qga.log'),
        '-b',
        LIGHT_QGA_BLOCKED,
      ],
      { env },
    );
  }
  if (g.light?.agentDaemon) {
    g.pids.agent = spawnDetached(
      dir,
      `agent ${g.id}`,
      process.execPath,
      [AGENT_CLI, ...agentArgs(dir, g), 'run'],
      { env },
    );
  }
}

/** qemu-ga lives in /usr/sbin, which is not on every user's PATH. */
export const QEMU_GA_CANDIDATES = ['/usr/sbin/qemu-ga', '/usr/bin/qemu-ga'];
const QEMU_GA = QEMU_GA_CANDIDATES.find((p) => existsSync(p)) ?? 'qemu-ga';

/** Where a guest's agent writes its status: the guest's folder for VMs, inside the root filesystem for containers. */
export function agentStatusFile(dir: string, g: LabGuest): string {
  if (g.type === 'lxc' && g.rootfs) return path.join(g.rootfs, 'run', 'proxmox-sleep-agent', 'status.json');
  return path.join(paths(dir).guestDir(g.id), 'status.json');
}

/**
 * A lab guest's agent runs on this machine's kernel, not the guest's: its hibernation readiness (swap,
 * resume=, /sys/power) says nothing about the emulated guest, whose hibernation always works.
 */
export const LAB_AGENT_CONFIG = '{ "hibernateCheck": false }\n';

/** Global options that point the real agent CLI at a lab guest's files. */
export function agentArgs(dir: string, g: LabGuest): string[] {
  const guestDir = paths(dir).guestDir(g.id);
  const config = path.join(guestDir, 'agent.json');
  if (!existsSync(config)) {
    mkdirSync(guestDir, { recursive: true });
    writeFileSync(config, LAB_AGENT_CONFIG);
  }
  const status = agentStatusFile(dir, g);
  mkdirSync(path.dirname(status), { recursive: true, mode: 0o755 });
  return ['--config', config, '--status-file', status, '--state-dir', path.join(guestDir, 'agent-state')];
}

function stopProcesses(dir: string, g: LabGuest): void {
  const pids = g.pids ?? {};
  killIfOurs(pids.qga, dir);
  killIfOurs(pids.agent, dir);
  const linger = g.behaviour.qemuLingerSeconds ?? 0;
  if (pids.kvm && linger > 0)
    // The lab folder rides along as $0, so killIfOurs still recognises this process as the lab's.
    spawnDetached(dir, `linger ${g.id}`, '/bin/sh', [
      '-c',
      'sleep "$1"; kill -TERM -"$2" 2>/dev/null || kill -TERM "$2" 2>/dev/null',
      dir,
      String(linger),
      String(pids.kvm),
    ]);
  else killIfOurs(pids.kvm, dir);
  g.pids = {};
}

function applyStopped(dir: string, g: LabGuest, cause: 'hibernate' | 'shutdown' | 'stop'): void {
  stopProcesses(dir, g);
  g.status = 'stopped';
  g.qmpstatus = 'stopped';
  g.startedAt = null;
  g.hibernated = cause === 'hibernate';
  g.pending = null;
  logEvent(dir, g.id, cause === 'hibernate' ? 'hibernated' : cause === 'shutdown' ? 'shut-down' : 'stopped');
  const after = g.behaviour.userStartsAfterSeconds;
  if (after !== undefined && after >= 0)
    setPending(dir, g, { to: 'running', at: Date.now() + after * 1000, cause: 'user-start' });
}

function applyStarted(dir: string, g: LabGuest, how: string): void {
  g.status = 'running';
  g.qmpstatus = 'running';
  g.startedAt = Date.now();
  g.pending = null;
  logEvent(dir, g.id, g.hibernated ? 'resumed' : 'started', how);
  g.hibernated = false;
  startProcesses(dir, g);
}

/**
 * A QEMU guest's power is its QEMU process: once that is gone the guest stopped, and how it went tells what
 * happened (the lab stopping it, or the guest powering off; a hibernation image on its swap disk means it
 * hibernated itself).
 */
function reconcileQemu(dir: string, g: LabGuest): boolean {
  if (g.backend !== 'qemu' || g.status !== 'running' || !g.qemu) return false;
  if (runningPid(g.qemu.runDir) !== null) return false;
  const image = swapState(runFile(g.qemu.runDir, 'swap')) === 'hibernation-image';
  applyStopped(dir, g, g.expectStop ? 'stop' : image ? 'hibernate' : 'shutdown');
  g.expectStop = false;
  return true;
}

/** Reads a guest after applying every transition whose time has come. */
export function materialize(dir: string, id: number | string): LabGuest | null {
  return withGuestLock(dir, id, () => {
    const g = readGuest(dir, id);
    if (!g) return null;
    let changed = reconcileQemu(dir, g);
    while (g.pending && Date.now() >= g.pending.at) {
      const p = g.pending;
      g.pending = null;
      if (p.to === 'stopped' && g.status === 'running')
        applyStopped(dir, g, p.cause === 'hibernate' ? 'hibernate' : 'shutdown');
      else if (p.to === 'running' && g.status === 'stopped') applyStarted(dir, g, 'the user');
      changed = true;
    }
    if (changed) writeGuest(dir, g);
    return g;
  });
}

function change<T>(dir: string, id: number | string, fn: (g: LabGuest) => T): T | null {
  return withGuestLock(dir, id, () => {
    const g = readGuest(dir, id);
    if (!g) return null;
    const result = fn(g);
    writeGuest(dir, g);
    return result;
  });
}

export type PowerResult = { ok: true } | { ok: false; message: string };

/** `qm start` / `pct start`, or the user starting a guest. */
export function startGuest(dir: string, id: number, how = 'qm start'): PowerResult {
  materialize(dir, id);
  return (
    change(dir, id, (g): PowerResult => {
      if (g.status === 'running')
        return { ok: false, message: `${g.type === 'qemu' ? 'VM' : 'CT'} ${id} already running` };
      const failures = g.behaviour.startFailures ?? 0;
      if (failures !== 0) {
        if (failures > 0) g.behaviour.startFailures = failures - 1;
        logEvent(dir, id, 'start-failed', how);
        return { ok: false, message: `start failed: QEMU exited with code 1` };
      }
      applyStarted(dir, g, how);
      return { ok: true };
    }) ?? { ok: false, message: `guest ${id} does not exist` }
  );
}

/** A graceful shutdown request (ACPI or guest agent): the guest powers off after `shutdownSeconds`. */
export function requestShutdown(dir: string, id: number, via: string): void {
  materialize(dir, id);
  change(dir, id, (g) => {
    if (g.status !== 'running') return;
    if (g.behaviour.ignoresShutdown) {
      logEvent(dir, id, 'shutdown-ignored', via);
      return;
    }
    const at = Date.now() + (g.behaviour.shutdownSeconds ?? 1) * 1000;
    logEvent(dir, id, 'shutdown-requested', via);
    if (!g.pending || g.pending.to !== 'stopped' || g.pending.at > at)
      setPending(dir, g, { to: 'stopped', at, cause: 'shutdown' });
  });
  materialize(dir, id);
}

/** The guest OS was asked to hibernate (by the agent or by qemu-ga's guest-suspend-disk). */
export function requestHibernate(dir: string, id: number, via: string): void {
  materialize(dir, id);
  change(dir, id, (g) => {
    if (g.status !== 'running') return;
    logEvent(dir, id, 'hibernate-requested', via);
    const seconds = g.behaviour.hibernateSeconds ?? 1;
    if (seconds < 0) return;
    const at = Date.now() + seconds * 1000;
    if (!g.pending || g.pending.to !== 'stopped' || g.pending.at > at)
      setPending(dir, g, { to: 'stopped', at, cause: 'hibernate' });
  });
  materialize(dir, id);
}

/** `qm stop` / `pct stop`: immediate. */
export function stopGuest(dir: string, id: number): void {
  materialize(dir, id);
  change(dir, id, (g) => {
    if (g.status === 'running') applyStopped(dir, g, 'stop');
  });
}

/** A QEMU guest whose QEMU was just launched (qemu-power.ts): running, resumed when it had hibernated. */
export function markQemuStarted(dir: string, id: number, how: string, resumed: boolean): void {
  change(dir, id, (g) => {
    if (g.status === 'running') return;
    g.hibernated = resumed;
    applyStarted(dir, g, how);
  });
}

/** A QEMU guest the lab is about to stop by force: its QEMU exiting counts as a stop, not a power-off. */
export function expectQemuStop(dir: string, id: number): void {
  change(dir, id, (g) => {
    g.expectStop = true;
  });
}

/** Starts the processes of a guest created as running (the TS API does this once, on creation). */
export function bootCreated(dir: string, id: number): void {
  change(dir, id, (g) => {
    if (g.status === 'running') startProcesses(dir, g);
  });
}

export function killAllGuestProcesses(dir: string, g: LabGuest): void {
  for (const pid of Object.values(g.pids ?? {})) killIfOurs(pid, dir, 'SIGKILL');
}
