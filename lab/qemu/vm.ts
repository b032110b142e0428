/**
 * One lab VM: its own run folder (qcow2 overlays over the cached image, the data disk, QMP/QGA/serial
 * sockets, serial log, pidfile, vm.json), launched daemonized so it outlives the process that started it
 * (the lab's qm emulation starts a VM in one command and stops it in another). Everything about a running VM
 * is found from its run folder; the PID is only trusted when that process's command line names this folder's
 * pidfile, so a reused PID is never signalled.
 *
 * Resume = boot the same disks with the same kernel command line (it carries resume=/dev/vdb): the guest's
 * initramfs finds the hibernation image in its swap overlay.
 */
import { existsSync, promises as fs, readFileSync } from 'fs';
import * as path from 'path';
import { sleep, systemClock } from '../../common/clock';
import { describeFailure } from '../../common/errors';
import { createRunner, type Runner } from '../../common/shell';
import type { AccelChoice } from './accel';
import { QEMU } from './accel';
import { makeDataDisk } from './data-disk';
import type { LabImage } from './image-cache';
import { KERNEL_APPEND, RECIPE } from './image/recipe';
import { isAlive, rssBytes, runningPid, signal, waitForExit } from './process';
import { type ExecOptions, type ExecResult, QgaClient } from './qga';
import { QmpClient } from './qmp';
import { type Accel, QGA_CHARDEV_ID, QGA_PORT_ID, qemuArgs, runFile } from './qemu-args';

export const MEMORY_MIB = { min: 512, max: 1024, default: 512 } as const;
const NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;
/** sun_path is 108 bytes including the terminating NUL. */
const MAX_SOCKET_PATH = 107;

export interface VmRecord {
  name: string;
  accel: Accel;
  accelReason: string;
  memoryMiB: number;
  append: string;
  kernel: string;
  initrd: string;
  imageKey: string;
  dataDir: string | null;
  createdAt: string;
}

export interface CreateOptions {
  name: string;
  /** The VM's own folder; created, and emptied of an earlier VM's disks. */
  runDir: string;
  image: LabImage;
  accel: AccelChoice;
  memoryMiB?: number;
  /** Host folder copied onto the read-only lab data disk (see lab/README.md); empty disk when absent. */
  dataDir?: string;
  append?: string;
  run?: Runner;
}

export interface BootInfo {
  pid: number;
  /** What the running QEMU reports (query-kvm), not what was asked for. */
  accel: Accel;
  /** Launch until QEMU daemonized. */
  launchMs: number;
  /** Launch until guest-ping answered. */
  readyMs: number;
  /** Launch until systemd reported the boot finished (only with fullBoot). */
  bootedMs?: number;
}

export interface PowerOffInfo {
  /** Request until the QEMU process was gone. */
  ms: number;
  /** QMP events seen while going down, in order. */
  events: string[];
  /** The guest agent reported an error, but the guest went down anyway (see AGENT_ERROR_GRACE_MS). */
  agentError?: string;
}

/**
 * After guest-shutdown or guest-suspend-disk answers with an error, QEMU gets this long to exit anyway before
 * the request counts as failed: qemu-ga's child (`shutdown`, `systemctl hibernate`) can be killed by the very
 * shutdown it started, and qemu-ga then reports "child process has terminated abnormally" while the guest
 * powers off.
 */
export const AGENT_ERROR_GRACE_MS = 15_000;

export type VmStatus = 'running' | 'stopped';

function defaultRunner(): Runner {
  return createRunner({
    timeoutMs: 60_000,
    env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin`, LC_ALL: 'C' },
  });
}

function validate(options: CreateOptions): { runDir: string; memoryMiB: number } {
  if (!NAME.test(options.name))
    throw new Error(
      `VM name ${JSON.stringify(options.name)} must match ${NAME} (it becomes a QEMU option value)`,
    );
  const memoryMiB = options.memoryMiB ?? MEMORY_MIB.default;
  if (!Number.isInteger(memoryMiB) || memoryMiB < MEMORY_MIB.min || memoryMiB > MEMORY_MIB.max)
    throw new Error(
      `memoryMiB must be an integer from ${MEMORY_MIB.min} to ${MEMORY_MIB.max} (the swap disk holds the hibernation image), got ${memoryMiB}`,
    );
  if (memoryMiB * 1024 * 1024 > RECIPE.swapSizeBytes)
    throw new Error(`memoryMiB ${memoryMiB} is larger than the image's swap disk`);
  const runDir = path.resolve(options.runDir);
  if (runDir.includes(','))
    throw new Error(`run folder ${runDir} must not contain a comma (QEMU option syntax)`);
  if (runFile(runDir, 'serialSocket').length > MAX_SOCKET_PATH)
    throw new Error(`run folder ${runDir} is too long for unix socket paths (max ${MAX_SOCKET_PATH} bytes)`);
  return { runDir, memoryMiB };
}

/** Makes a qcow2 overlay backed by a cached raw image; the cached image is never written. */
async function overlay(run: Runner, backing: string, file: string): Promise<void> {
  const r = await run('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', backing, file], {
    timeoutMs: 30_000,
  });
  if (r.exitCode !== 0) throw new Error(`making overlay ${file} failed: ${describeFailure(r)}`);
}

export class Vm {
  private launchedAt = 0;

  private constructor(
    readonly runDir: string,
    readonly record: VmRecord,
    private readonly run: Runner,
  ) {}

  /** A new VM with fresh overlays and a fresh data disk. Refuses while a QEMU for this folder runs. */
  static async create(options: CreateOptions): Promise<Vm> {
    const { runDir, memoryMiB } = validate(options);
    const run = options.run ?? defaultRunner();
    const running = runningPid(runDir);
    if (running !== null)
      throw new Error(`VM ${options.name} in ${runDir} is running (QEMU PID ${running}); stop it first`);
    await fs.mkdir(runDir, { recursive: true, mode: 0o700 });
    for (const file of ['root', 'swap', 'data', 'pid', 'serialLog', 'spec'] as const)
      await fs.rm(runFile(runDir, file), { force: true });
    await overlay(run, options.image.root, runFile(runDir, 'root'));
    await overlay(run, options.image.swap, runFile(runDir, 'swap'));
    await makeDataDisk(run, runFile(runDir, 'data'), options.dataDir);
    const record: VmRecord = {
      name: options.name,
      accel: options.accel.accel,
      accelReason: options.accel.reason,
      memoryMiB,
      append: options.append ?? KERNEL_APPEND,
      kernel: options.image.kernel,
      initrd: options.image.initrd,
      imageKey: options.image.key,
      dataDir: options.dataDir ? path.resolve(options.dataDir) : null,
      createdAt: new Date().toISOString(),
    };
    await fs.writeFile(runFile(runDir, 'spec'), `${JSON.stringify(record, null, 2)}\n`);
    return new Vm(runDir, record, run);
  }

  /** The VM whose run folder this is (for a later command: resume, status, stop, teardown). */
  static open(runDir: string, run: Runner = defaultRunner()): Vm {
    const dir = path.resolve(runDir);
    const specFile = runFile(dir, 'spec');
    if (!existsSync(specFile))
      throw new Error(`${dir} is not a lab VM folder (no ${path.basename(specFile)})`);
    return new Vm(dir, JSON.parse(readFileSync(specFile, 'utf8')) as VmRecord, run);
  }

  get name(): string {
    return this.record.name;
  }

  /** PID of this VM's running QEMU, or null. */
  get pid(): number | null {
    return runningPid(this.runDir);
  }

  status(): VmStatus {
    return this.pid === null ? 'stopped' : 'running';
  }

  rssBytes(): number | null {
    const pid = this.pid;
    return pid === null ? null : rssBytes(pid);
  }

  /** The last lines of the guest's serial console (kernel, systemd and lab-start output). */
  serialTail(lines = 20): string {
    const file = runFile(this.runDir, 'serialLog');
    if (!existsSync(file)) return '';
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  }

  private qmpConnect(timeoutMs: number): Promise<QmpClient> {
    return QmpClient.connect(runFile(this.runDir, 'qmp'), timeoutMs);
  }

  /**
   * Runs `body` with a guest-agent connection made for it and closed after it: QEMU serves the agent socket
   * to one client at a time, so nothing is held between operations and another process (the lab's `qm
   * guest`) can use it. Only call it on a VM whose agent answered once (boot/waitReady): connecting before
   * the guest opened its port wedges the socket.
   */
  async withAgent<T>(body: (qga: QgaClient) => Promise<T>, timeoutMs = 30_000): Promise<T> {
    const pid = this.requirePid();
    const qga = await this.unlessExited(
      pid,
      'the guest agent',
      QgaClient.connect(runFile(this.runDir, 'qga'), timeoutMs),
    );
    try {
      return await body(qga);
    } finally {
      qga.close();
    }
  }

  /** A program run in the guest (guest-exec + status polling); no shell unless you run one. */
  exec(file: string, args: string[] = [], options: ExecOptions = {}): Promise<ExecResult> {
    return this.withAgent((qga) => qga.exec(file, args, options), (options.timeoutMs ?? 30_000) + 10_000);
  }

  /** A guest file's bytes (guest-file-open/read/close), refused over `maxBytes` (default 1 MiB). */
  readFile(file: string, options: { maxBytes?: number; timeoutMs?: number } = {}): Promise<Buffer> {
    return this.withAgent((qga) => qga.readFile(file, options), (options.timeoutMs ?? 10_000) + 10_000);
  }

  ping(timeoutMs = 10_000): Promise<void> {
    return this.withAgent((qga) => qga.ping(timeoutMs), timeoutMs);
  }

  /** Launches QEMU (daemonized) on this VM's disks. Refuses while one already runs. */
  async launch(timeoutMs = 30_000): Promise<{ pid: number; accel: Accel; launchMs: number }> {
    const running = this.pid;
    if (running !== null) throw new Error(`VM ${this.name} is already running (QEMU PID ${running})`);
    for (const file of ['qmp', 'qga', 'serialSocket', 'pid'] as const)
      await fs.rm(runFile(this.runDir, file), { force: true });
    this.launchedAt = Date.now();
    const args = qemuArgs({
      name: this.name,
      accel: this.record.accel,
      memoryMiB: this.record.memoryMiB,
      kernel: this.record.kernel,
      initrd: this.record.initrd,
      append: this.record.append,
      runDir: this.runDir,
    });
    const r = await this.run(QEMU, args, { timeoutMs });
    if (r.exitCode !== 0) throw new Error(`VM ${this.name}: QEMU did not start: ${describeFailure(r)}`);
    const launchMs = Date.now() - this.launchedAt;
    const pid = this.pid;
    if (pid === null)
      throw new Error(
        `VM ${this.name}: QEMU daemonized but ${runFile(this.runDir, 'pid')} names no live QEMU`,
      );
    const qmp = await this.qmpConnect(timeoutMs);
    try {
      const kvm = await qmp.execute<{ enabled: boolean }>('query-kvm');
      return { pid, accel: kvm.enabled ? 'kvm' : 'tcg', launchMs };
    } finally {
      qmp.close();
    }
  }

  /**
   * Waits until qemu-ga answers: QMP says the guest opened the agent's port (VSERPORT_CHANGE, or
   * query-chardev when that already happened), then ONE QGA connection syncs and pings. With `fullBoot`,
   * also waits for `systemctl is-system-running --wait` (logind is up then). QMP is held while waiting,
   * both connections are closed at the end.
   */
  async waitReady(
    options: { timeoutMs?: number; fullBoot?: boolean } = {},
  ): Promise<{ readyMs: number; bootedMs?: number }> {
    const timeoutMs = options.timeoutMs ?? 180_000;
    // Times count from the launch when this process launched the VM, else from now (Vm.open of a running VM).
    const since = this.launchedAt || Date.now();
    const deadline = Date.now() + timeoutMs;
    const left = () => Math.max(1, deadline - Date.now());
    const pid = this.requirePid();
    const guard = <T>(what: string, p: Promise<T>) => this.unlessExited(pid, what, p);
    const qmp = await guard('QMP', this.qmpConnect(left()));
    try {
      const chardevs = await qmp.execute<{ label: string; 'frontend-open': boolean }[]>('query-chardev');
      if (!chardevs.find((c) => c.label === QGA_CHARDEV_ID)?.['frontend-open'])
        await guard(
          'the guest agent port to open',
          qmp.waitForEvent(
            (e) => e.event === 'VSERPORT_CHANGE' && e.data.id === QGA_PORT_ID && e.data.open === true,
            left(),
            `VSERPORT_CHANGE ${QGA_PORT_ID} open`,
          ),
        );
    } finally {
      qmp.close();
    }
    const qga = await guard('the guest agent', QgaClient.connect(runFile(this.runDir, 'qga'), left()));
    try {
      await qga.ping(left());
      const readyMs = Date.now() - since;
      if (!options.fullBoot) return { readyMs };
      const state = await guard(
        'the end of the boot',
        qga.exec('systemctl', ['is-system-running', '--wait'], { timeoutMs: left() }),
      );
      const word = state.stdout.trim();
      if (word !== 'running' && word !== 'degraded')
        throw new Error(
          `VM ${this.name}: boot ended as ${JSON.stringify(word)}; serial log:\n${this.serialTail()}`,
        );
      return { readyMs, bootedMs: Date.now() - since };
    } finally {
      qga.close();
    }
  }

  /** launch + waitReady: a fresh boot, or a resume when the swap overlay holds a hibernation image. */
  async boot(options: { timeoutMs?: number; fullBoot?: boolean } = {}): Promise<BootInfo> {
    const started = Date.now();
    const timeoutMs = options.timeoutMs ?? 180_000;
    const launched = await this.launch(Math.min(timeoutMs, 30_000));
    const ready = await this.waitReady({
      ...options,
      timeoutMs: Math.max(1, timeoutMs - (Date.now() - started)),
    });
    return { pid: launched.pid, accel: launched.accel, launchMs: launched.launchMs, ...ready };
  }

  /** Boots this VM's existing disks again after a hibernate; the same as boot(), named for the intent. */
  resume(options: { timeoutMs?: number; fullBoot?: boolean } = {}): Promise<BootInfo> {
    return this.boot(options);
  }

  /**
   * The guest hibernates itself (guest-suspend-disk: image to swap, power off) and QEMU exits. Fails when the
   * agent answers with an error or QEMU is still running after `timeoutMs` (then the guest may still be up,
   * e.g. when its swap was too small; the caller decides whether to kill it).
   */
  async hibernate(options: { timeoutMs?: number } = {}): Promise<PowerOffInfo> {
    return this.powerOff('guest-suspend-disk', options.timeoutMs ?? 90_000, (qga, ms) => qga.suspendDisk(ms));
  }

  /** guest-shutdown (powerdown) and wait for QEMU to exit. */
  async shutdown(options: { timeoutMs?: number } = {}): Promise<PowerOffInfo> {
    return this.powerOff('guest-shutdown', options.timeoutMs ?? 60_000, (qga, ms) => qga.shutdown(ms));
  }

  /** ACPI power button over QMP, pressed again every 5 s (a press before logind watches is lost). */
  async powerdown(options: { timeoutMs?: number } = {}): Promise<PowerOffInfo> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const pid = this.requirePid();
    const started = Date.now();
    const qmp = await this.qmpConnect(timeoutMs);
    try {
      while (isAlive(pid)) {
        if (Date.now() - started >= timeoutMs)
          throw new Error(`VM ${this.name}: still running ${timeoutMs} ms after system_powerdown`);
        await qmp.execute('system_powerdown', undefined, 5_000).catch(() => undefined);
        await waitForExit(pid, Math.min(5_000, Math.max(1, timeoutMs - (Date.now() - started))));
      }
      return { ms: Date.now() - started, events: qmp.events.map((e) => e.event) };
    } finally {
      qmp.close();
    }
  }

  private async powerOff(
    what: string,
    timeoutMs: number,
    send: (qga: QgaClient, timeoutMs: number) => Promise<void>,
  ): Promise<PowerOffInfo> {
    const pid = this.requirePid();
    // QMP only to record the events (SUSPEND_DISK, SHUTDOWN); going down does not depend on it.
    const qmp = await this.qmpConnect(5_000).catch(() => null);
    const started = Date.now();
    try {
      return await this.withAgent(async (qga) => {
        let failure: Error | undefined;
        let failedAt = 0;
        const sent = send(qga, timeoutMs).catch((e: unknown) => {
          failure = e instanceof Error ? e : new Error(String(e));
          failedAt = Date.now();
        });
        while (isAlive(pid)) {
          if (failure && Date.now() - failedAt >= AGENT_ERROR_GRACE_MS)
            throw new Error(`VM ${this.name}: ${what} failed: ${failure.message}`);
          if (Date.now() - started >= timeoutMs)
            throw new Error(
              `VM ${this.name}: QEMU still running ${timeoutMs} ms after ${what}; the guest may still be up. Serial log:\n${this.serialTail()}`,
            );
          await sleep(systemClock, 100);
        }
        const ms = Date.now() - started;
        await qmp?.waitForClose(2_000);
        qga.close();
        await sent;
        const events = qmp?.events.map((e) => e.event) ?? [];
        return { ms, events, ...(failure ? { agentError: failure.message } : {}) };
      }, timeoutMs);
    } finally {
      qmp?.close();
    }
  }

  /** Forced stop by PID: SIGTERM, then SIGKILL after `graceMs`. Never by name: several VMs run at once. */
  async kill(options: { graceMs?: number } = {}): Promise<void> {
    const pid = this.pid;
    if (pid === null) return;
    signal(pid, 'SIGTERM');
    if (await waitForExit(pid, options.graceMs ?? 5_000)) return;
    signal(pid, 'SIGKILL');
    if (!(await waitForExit(pid, 5_000)))
      throw new Error(`VM ${this.name}: QEMU PID ${pid} survived SIGKILL`);
  }

  /** Stops the VM if it runs and deletes its run folder. */
  async teardown(): Promise<void> {
    await this.kill();
    await fs.rm(this.runDir, { recursive: true, force: true });
  }

  private requirePid(): number {
    const pid = this.pid;
    if (pid === null) throw new Error(`VM ${this.name} is not running`);
    return pid;
  }

  /** `p`, unless QEMU exits first (a crash or a triple fault under -no-reboot): then a clear error. */
  private unlessExited<T>(pid: number, what: string, p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const poll = setInterval(() => {
        if (isAlive(pid)) return;
        clearInterval(poll);
        reject(
          new Error(
            `VM ${this.name}: QEMU exited while waiting for ${what}. Serial log:\n${this.serialTail()}`,
          ),
        );
      }, 250);
      p.then(
        (v) => {
          clearInterval(poll);
          resolve(v);
        },
        (e: unknown) => {
          clearInterval(poll);
          reject(e instanceof Error ? new Error(`VM ${this.name}: waiting for ${what}: ${e.message}`) : e);
        },
      );
    });
  }
}

export { runningPid };
