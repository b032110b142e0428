/**
 * A private X server (Xvfb) for the demo's desktop guest, so its agent's input-idle check reads a real
 * XScreenSaver idle time: it starts at zero and grows while nobody types. Runs on the first free display
 * from :90 on, registered with the lab so that its cleanup ends it.
 */
import { existsSync, rmSync } from 'fs';
import { isAlive, killIfOurs, spawnDetached } from '../pve/processes';

export interface PrivateX {
  display: string;
  pid: number;
  /** Ends the server gently (SIGTERM lets it remove its socket and lock file) and removes what it left. */
  stop(): Promise<void>;
}

function freeDisplay(from = 90, to = 189): number {
  for (let n = from; n <= to; n++)
    if (!existsSync(`/tmp/.X11-unix/X${n}`) && !existsSync(`/tmp/.X${n}-lock`)) return n;
  throw new Error(`no free X display between :${from} and :${to}`);
}

export const XVFB = '/usr/bin/Xvfb';

/** Starts Xvfb (its command line names the lab folder, so the lab's cleanup can end it) and waits for its socket. */
export async function startPrivateX(labDir: string, timeoutMs = 10_000): Promise<PrivateX> {
  const n = freeDisplay();
  const display = `:${n}`;
  const pid = spawnDetached(labDir, `Xvfb ${display}`, XVFB, [
    display,
    '-screen',
    '0',
    '1024x768x24',
    '-nolisten',
    'tcp',
    // An X server resets when its last client leaves, and a reset zeroes the idle time: every xprintidle
    // would then read "input just now". A desktop always has clients (its window manager); this one has none.
    '-noreset',
    // Unused; makes the command line name the lab folder (killIfOurs checks it before signalling).
    '-fp',
    `built-ins,${labDir}`,
  ]);
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(`/tmp/.X11-unix/X${n}`)) {
    if (!isAlive(pid)) throw new Error(`Xvfb ${display} exited at start`);
    if (Date.now() > deadline) throw new Error(`Xvfb ${display} did not start within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    display,
    pid,
    async stop() {
      killIfOurs(pid, labDir, 'SIGTERM');
      for (let i = 0; i < 40 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
      killIfOurs(pid, labDir, 'SIGKILL');
      for (const file of [`/tmp/.X11-unix/X${n}`, `/tmp/.X${n}-lock`]) rmSync(file, { force: true });
    },
  };
}
