/**
 * Plays the scenario's activities in the demo's guests: a process with the game's name runs for a while
 * and the scripted nvidia-smi reports the GPU busy (both read by the guest's real agent), the server's CPU as
 * Proxmox reports it steps down, the desktop's X server sees a mouse move. Each change is reported to the
 * view. Played at the start and again after every wake (`--keep-running`).
 */
import { spawn } from 'child_process';
import { writeFileSync } from 'fs';
import * as path from 'path';
import type { LabPve } from '../pve/lab';
import { killIfOurs } from '../pve/processes';
import { recordPid } from '../pve/state';
import { guestLabel, type DemoGuest } from './scenario';
import type { PrivateX } from './xvfb';

export interface ActivityNote {
  id: number;
  text: string;
  /** A short current reading for the guest's row (GPU 85%, CPU 72%); null clears it. */
  reading?: string | null;
}

export interface Activities {
  stop(): void;
}

const pct = (fraction: number) => `${Math.round(fraction * 100)}%`;

export function playActivities(
  lab: LabPve,
  guests: DemoGuest[],
  x: PrivateX | null,
  note: (n: ActivityNote) => void,
): Activities {
  const timers: NodeJS.Timeout[] = [];
  const pids: number[] = [];
  const at = (seconds: number, fn: () => void) => timers.push(setTimeout(fn, seconds * 1000));
  for (const g of guests) {
    const a = g.activity;
    const label = guestLabel(g);
    if (a.kind === 'game') {
      const gpuFile = path.join(lab.guestDir(g.id), 'gpu-utilization');
      writeFileSync(gpuFile, `${a.gpuPercent}\n`);
      // argv[0] is the game's name (what the agent's process check reads); the lab folder in the command
      // line lets the lab's cleanup recognise and end it.
      const game = spawn('/bin/sh', ['-c', `sleep ${a.seconds}; :`, lab.dir], {
        argv0: a.process,
        detached: true,
        stdio: 'ignore',
      });
      game.on('error', () => undefined);
      game.unref();
      if (game.pid) {
        pids.push(game.pid);
        recordPid(lab.dir, game.pid, `game ${g.id}`);
      }
      note({
        id: g.id,
        text: `${label}: ${a.process} is running, GPU at ${a.gpuPercent}%`,
        reading: `GPU ${a.gpuPercent}%`,
      });
      at(a.seconds, () => {
        writeFileSync(gpuFile, `${a.idleGpuPercent}\n`);
        note({
          id: g.id,
          text: `${label}: ${a.process} ended, GPU at ${a.idleGpuPercent}%`,
          reading: `GPU ${a.idleGpuPercent}%`,
        });
      });
    } else if (a.kind === 'cpu') {
      let t = 0;
      for (const step of a.steps) {
        at(t, () => {
          lab.update(g.id, { cpu: step.cpu });
          note({ id: g.id, text: `${label}: CPU at ${pct(step.cpu)}`, reading: `CPU ${pct(step.cpu)}` });
        });
        t += step.seconds;
      }
      at(t, () => {
        lab.update(g.id, { cpu: a.idleCpu });
        note({
          id: g.id,
          text: `${label}: calmed down, CPU at ${pct(a.idleCpu)}`,
          reading: `CPU ${pct(a.idleCpu)}`,
        });
      });
    } else if (a.kind === 'desk' && x) {
      const move = spawn('xdotool', ['mousemove', '10', '10'], {
        env: { ...process.env, DISPLAY: x.display },
        stdio: 'ignore',
      });
      move.on('error', () => undefined);
      note({
        id: g.id,
        text: `${label}: the mouse moved on its X display ${x.display}, then nobody touches it`,
      });
    }
  }
  return {
    stop() {
      for (const t of timers) clearTimeout(t);
      for (const pid of pids) killIfOurs(pid, lab.dir);
    },
  };
}
