/**
 * X11 input idle time through the XScreenSaver extension, read with `xprintidle` (one integer: idle
 * milliseconds). Displays come from the configuration, else $DISPLAY, else the local X sockets in
 * /tmp/.X11-unix. A root daemon may need the session's X cookie: `xauthority` from the configuration or
 * $XAUTHORITY, else it is looked up once in the environment of a process running on that display.
 * Displays served by Xwayland are skipped: that X server belongs to a Wayland session and sees only the
 * input that goes to X programs, so it would call a busy desktop idle (the Wayland sources answer there).
 */
import { promises as fs, readdirSync, readFileSync } from 'fs';
import { UnavailableError } from '../../../common/errors';
import type { Runner } from '../../../common/shell';
import type { InputIdleReading } from '../../core/checks/input-idle';
import type { PathLookup } from '../shared/commands';

export interface X11IdleOptions {
  displays: readonly string[];
  xauthority: string | null;
  run: Runner;
  findOnPath: PathLookup;
  env?: NodeJS.ProcessEnv;
  socketDir?: string;
  procDir?: string;
}

/** The idle milliseconds xprintidle prints (its last line; a noisy shell rc file may print before it). */
export function parseXprintidle(stdout: string): number | null {
  const last = stdout.trim().split(/\r?\n/).pop()?.trim() ?? '';
  return /^\d+$/.test(last) ? Number(last) : null;
}

/** `:0` for socket X0. */
export async function localDisplays(socketDir = '/tmp/.X11-unix'): Promise<string[]> {
  try {
    return (await fs.readdir(socketDir))
      .map((name) => /^X(\d+)$/.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `:${m[1]}`);
  } catch {
    return [];
  }
}

/** XAUTHORITY of some process whose DISPLAY is this display (e.g. the session's shell or compositor). */
export function findXauthority(display: string, procDir = '/proc'): string | null {
  const base = display.replace(/\.\d+$/, '');
  for (const pid of readdirSync(procDir)) {
    if (!/^\d+$/.test(pid)) continue;
    let environ: string;
    try {
      environ = readFileSync(`${procDir}/${pid}/environ`, 'latin1');
    } catch {
      continue;
    }
    const vars = environ.split('\0');
    const d = vars
      .find((v) => v.startsWith('DISPLAY='))
      ?.slice(8)
      .replace(/\.\d+$/, '');
    const auth = vars.find((v) => v.startsWith('XAUTHORITY='))?.slice(11);
    if (d === base && auth) return auth;
  }
  return null;
}

/** The displays (`:0`) an Xwayland process serves, from its command line (`Xwayland :0 -rootless …`). */
export function xwaylandDisplays(procDir = '/proc'): Set<string> {
  const out = new Set<string>();
  for (const pid of readdirSync(procDir)) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`${procDir}/${pid}/comm`, 'utf8').trim() !== 'Xwayland') continue;
      const display = readFileSync(`${procDir}/${pid}/cmdline`, 'utf8')
        .split('\0')
        .find((arg) => /^:\d+$/.test(arg));
      if (display) out.add(display);
    } catch {
      // the process ended
    }
  }
  return out;
}

export function createX11IdleSource(options: X11IdleOptions) {
  const env = options.env ?? process.env;
  const discovered = new Map<string, { path: string | null; at: number }>();
  const readDisplay = async (tool: string, display: string, signal: AbortSignal): Promise<number> => {
    const base: NodeJS.ProcessEnv = { ...env, DISPLAY: display };
    const explicit = options.xauthority ?? env.XAUTHORITY;
    if (explicit) base.XAUTHORITY = explicit;
    const attempt = async (extra: NodeJS.ProcessEnv) => {
      const result = await options.run(tool, [], {
        env: { ...base, ...extra },
        signal,
        timeoutMs: 3000,
        maxOutputBytes: 1024,
      });
      const value = result.exitCode === 0 ? parseXprintidle(result.stdout) : null;
      if (value === null)
        throw new Error(
          `xprintidle on ${display}: ${(result.stderr.trim().split('\n')[0] || `exit ${result.exitCode}`).slice(0, 160)}`,
        );
      return value;
    };
    try {
      return await attempt({});
    } catch (first) {
      if (explicit) throw first;
      const cached = discovered.get(display);
      const fresh =
        cached && Date.now() - cached.at < 300_000
          ? cached
          : { path: findXauthority(display, options.procDir), at: Date.now() };
      discovered.set(display, fresh);
      if (!fresh.path) throw first;
      return attempt({ XAUTHORITY: fresh.path });
    }
  };
  return {
    name: 'x11',
    async read(signal: AbortSignal): Promise<InputIdleReading> {
      const displays =
        options.displays.length > 0
          ? [...options.displays]
          : env.DISPLAY && /^:\d+(\.\d+)?$/.test(env.DISPLAY)
            ? [env.DISPLAY]
            : await localDisplays(options.socketDir);
      if (displays.length === 0) throw new UnavailableError('no X display', 'x11');
      const xwayland = xwaylandDisplays(options.procDir);
      const x11 = displays.filter((d) => !xwayland.has(d.replace(/\.\d+$/, '')));
      if (x11.length === 0)
        throw new UnavailableError(
          `${displays.join(', ')} is Xwayland: a Wayland session, whose X server sees only input to X programs`,
          'x11',
        );
      const tool = await options.findOnPath('xprintidle');
      if (!tool)
        throw new UnavailableError('xprintidle is not installed (apt install xprintidle)', 'xprintidle');
      const readings: number[] = [];
      const failures: string[] = [];
      for (const display of x11) {
        try {
          readings.push(await readDisplay(tool, display, signal));
        } catch (e) {
          failures.push(e instanceof Error ? e.message : String(e));
        }
      }
      if (readings.length === 0) throw new Error(failures.join('; '));
      return { idleSeconds: Math.min(...readings) / 1000, source: 'x11' };
    },
  };
}
