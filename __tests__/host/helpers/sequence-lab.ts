/**
 * The sleep sequence end to end: the REAL CLI (dist/host/cli.js, a separate process, so it can be killed
 * with SIGKILL) against the lab's Proxmox emulation (lab/pve) with its systemctl, and the real sleep hook
 * unit file from installer/host run by the emulated systemd around a suspend.
 */
import { spawn, type ChildProcess } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createLabPve, type LabPve } from '../../../lab/pve/lab';
import type { RunRecord } from '../../../host/state';

const ROOT = path.join(__dirname, '..', '..', '..');
export const CLI = path.join(ROOT, 'dist', 'host', 'cli.js');
export const HOOK_UNIT = path.join(ROOT, 'installer', 'host', 'proxmox-sleep-hook.service');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface SequenceLab {
  lab: LabPve;
  work: string;
  stateDir: string;
  /** Writes a configuration with fast test timeouts plus `lines`; returns its path. */
  config(lines: string[], name?: string): string;
  env(config: string): Record<string, string>;
  /** Runs the CLI to the end (on `node`, default this Node). */
  cli(args: string[], config: string, node?: string): Promise<CliRun>;
  /** Starts the CLI and returns the process (to kill it half-way). */
  spawnCli(
    args: string[],
    config: string,
    node?: string,
  ): ChildProcess & { output: CliRun; done: Promise<CliRun> };
  /** The emulated systemd runs the real hook unit (with this configuration) around a suspend. */
  enableHook(config: string): void;
  records(): Record<string, string>;
  runRecord(): RunRecord | null;
  /** Calls of one emulated tool verb for one guest, e.g. ('qm', 'start', 101). */
  callsOf(tool: string, verb: string, id: number): { start: number; end: number | null }[];
  waitFor(what: string, check: () => boolean, timeoutMs?: number): Promise<void>;
  cleanup(): Promise<void>;
}

export const FAST = [
  'PROXMOX_TIMEOUT=2',
  'HIBERNATE_TIMEOUT=3',
  'SHUTDOWN_TIMEOUT=2',
  'WAKE_DELAY=0',
  'PRE_SLEEP_WARNING_SECONDS=0',
  'CHECK_SSH_SESSIONS=0',
  'CHECK_SLEEP_INHIBITORS=0',
  'HOST_BLOCKING_UNITS=""',
];

export function createSequenceLab(): SequenceLab {
  const lab = createLabPve();
  const work = mkdtempSync(path.join(os.tmpdir(), 'seq-'));
  const stateDir = path.join(work, 'state');
  const env = (config: string): Record<string, string> => ({
    ...(process.env as Record<string, string>),
    ...lab.env,
    CONFIG_FILE: config,
    PROXMOX_SLEEP_STATE_DIR: stateDir,
  });
  const spawnCli = (args: string[], config: string, node = process.execPath) => {
    const child = spawn(node, [CLI, ...args], { env: env(config) }) as ChildProcess & {
      output: CliRun;
      done: Promise<CliRun>;
    };
    child.output = { code: null, stdout: '', stderr: '' };
    child.stdout?.on('data', (d: Buffer) => (child.output.stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (child.output.stderr += d.toString()));
    child.done = new Promise((resolve) =>
      child.on('close', (code) => {
        child.output.code = code;
        resolve(child.output);
      }),
    );
    return child;
  };
  return {
    lab,
    work,
    stateDir,
    config(lines, name = 'proxmox-sleep.conf') {
      const file = path.join(work, name);
      writeFileSync(
        file,
        [
          ...FAST,
          `IDLE_MONITOR_LOG=${path.join(work, 'monitor.log')}`,
          `SLEEP_MANAGER_LOG=${path.join(work, 'sleep-manager.log')}`,
          'GUEST_AGENT_ACCESS=socket',
          `QGA_SOCKET_DIR=${lab.socketDir}`,
          ...lines,
          '',
        ].join('\n'),
      );
      return file;
    },
    env,
    cli: (args, config, node) => spawnCli(args, config, node).done,
    spawnCli,
    enableHook(config) {
      lab.host({
        hook: { enabled: true, unitFile: HOOK_UNIT, command: [process.execPath, CLI], env: env(config) },
      });
    },
    records() {
      const file = path.join(stateDir, 'sleep-manager.state');
      if (!existsSync(file)) return {};
      return Object.fromEntries(
        readFileSync(file, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split('=') as [string, string]),
      );
    },
    runRecord() {
      try {
        return JSON.parse(readFileSync(path.join(stateDir, 'sequence.json'), 'utf8')) as RunRecord;
      } catch {
        return null;
      }
    },
    callsOf(tool, verb, id) {
      return lab
        .calls()
        .filter((c) => c.tool === tool && c.argv[0] === verb && c.argv[1] === String(id))
        .map((c) => ({ start: c.start, end: c.end }));
    },
    async waitFor(what, check, timeoutMs = 15000) {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async cleanup() {
      await lab.cleanup();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** The largest number of intervals open at the same moment. */
export function maxOverlap(intervals: { start: number; end: number | null }[]): number {
  const points = intervals.flatMap((i) => [
    { t: i.start, d: 1 },
    { t: i.end ?? Infinity, d: -1 },
  ]);
  points.sort((a, b) => a.t - b.t || a.d - b.d);
  let open = 0;
  let max = 0;
  for (const p of points) max = Math.max(max, (open += p.d));
  return max;
}
