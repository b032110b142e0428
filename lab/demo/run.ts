/**
 * `npm start`: the light lab of four guests, the REAL host tool (`dist/host/cli.js daemon`) running against
 * it with short timings, and a live view of one full sleep cycle: each guest's state and reason, the
 * countdown, pre-sleep, the host asleep, every guest coming back. Ends by itself after the cycle (or keeps
 * cycling), and always cleans up every process it started.
 */
import { spawn, type ChildProcess } from 'child_process';
import { appendFileSync, writeFileSync } from 'fs';
import { createDemoLab, HOST_CLI, type DemoLab } from './demo-lab';
import { playActivities, type Activities } from './activity';
import {
  apply,
  awaitedBack,
  currentCycle,
  initialState,
  nextCycle,
  type DemoState,
  type Input,
  type LogLine,
} from './model';
import { formatLine, renderFrame, summarize, type FrameInfo } from './render';
import { DEMO_GUESTS, DEMO_TIMINGS, guestLabel, type DemoTransport } from './scenario';
import { watchDemo } from './watch';

export interface DemoOptions {
  keepRunning: boolean;
  transport: DemoTransport;
  /** Redraw a terminal view (true) or print one line per event (false). */
  tty: boolean;
  out: NodeJS.WritableStream;
  /** Append every terminal frame (JSON lines: {at, lines}) here, for the README recording. */
  recordFrames?: string;
  /** Resolves when the user asks to stop (Ctrl-C). */
  interrupted: Promise<string>;
}

export interface DemoResult {
  code: number;
  state: DemoState;
  summary: string[];
}

const TICK_MS = 250;
const LOG_LINES = 12;
const HOLD_MS = 600;

/** The host tool's own log lines worth showing: its sleep sequence, and anything it warns about. */
export function toolLine(raw: string): string | null {
  const m = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (\w+)\s+(\S+): (.*)$/.exec(raw);
  if (!m) return raw.trim() ? raw.trim() : null;
  const [, level, ns, text] = m;
  if (text.startsWith('verdict:') || text.startsWith('daemon started')) return null;
  if (ns.startsWith('host:sequence') || level === 'WARN' || level === 'ERROR') return text;
  return null;
}

function lines(stream: NodeJS.ReadableStream | null, each: (line: string) => void): void {
  let rest = '';
  stream?.on('data', (d: Buffer) => {
    const parts = (rest + d.toString('utf8')).split('\n');
    rest = parts.pop() ?? '';
    parts.forEach(each);
  });
}

/** Runs a host tool command to the end and returns its stdout. */
function hostTool(demo: DemoLab, args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [HOST_CLI, ...args], {
      env: demo.env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('close', (code) => resolve({ code, stdout }));
    child.on('error', () => resolve({ code: null, stdout }));
  });
}

/** The host tool's word on its last sleep sequence, once none is running (`status --json`). */
async function sequenceOutcome(demo: DemoLab): Promise<string | null> {
  const r = await hostTool(demo, ['status', '--json']);
  try {
    const s = JSON.parse(r.stdout) as {
      sleep_sequence: unknown;
      last_sleep_sequence: { outcome?: string } | null;
    };
    if (s.sleep_sequence !== null || !s.last_sleep_sequence) return null;
    return String(s.last_sleep_sequence.outcome ?? 'finished');
  } catch {
    return null;
  }
}

function stopProcessGroup(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return resolve();
    const pid = child.pid;
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, graceMs);
    child.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { out } = options;
  const t0 = Date.now();
  const guests = DEMO_GUESTS;
  const timings = DEMO_TIMINGS;
  const state = initialState(guests, t0);
  let frameHeight = 0;
  const info: FrameInfo = {
    title: 'Proxmox Sleep Manager · lab demo',
    subtitle: `${guests.length} light guests (${options.transport === 'qga' ? 'real qemu-ga + real agents' : 'real agents over virtiofs'}) · the real host tool: proxmox-sleep daemon, a check every ${timings.checkIntervalSeconds} s, idle timeouts ${timings.hostIdleSeconds} s`,
    logLines: LOG_LINES,
  };
  const draw = () => {
    if (!options.tty) return;
    const frame = renderFrame(state, Date.now(), info);
    out.write(`${frameHeight ? `\x1b[${frameHeight}F` : ''}\x1b[J${frame.join('\n')}\n`);
    frameHeight = frame.length;
    if (options.recordFrames)
      appendFileSync(
        options.recordFrames,
        `${JSON.stringify({ at: Date.now() - t0, phase: state.phase, lines: frame })}\n`,
      );
  };
  // Lines come from sources polled at different moments: plain output holds each line briefly and prints
  // them in time order.
  const held: LogLine[] = [];
  const flush = (all: boolean) => {
    if (options.tty) return;
    held.sort((a, b) => a.at - b.at);
    const upTo = all ? Infinity : Date.now() - HOLD_MS;
    while (held.length && held[0].at <= upTo) out.write(`${formatLine(held.shift() as LogLine, t0)}\n`);
  };
  const feed = (input: Input) => {
    held.push(...apply(state, input));
  };
  const note = (source: LogLine['source'], text: string) =>
    feed({ type: 'note', at: Date.now(), source, text });

  let demo: DemoLab | null = null;
  let daemon: ChildProcess | null = null;
  let activities: Activities | null = null;
  let reason = 'one full cycle';
  let failed = false;
  let finishing = false;
  let stoppedByUser = false;
  try {
    demo = await createDemoLab({ guests, timings, transport: options.transport });
    for (const g of guests) note('lab', `${guestLabel(g)}: ${g.role}`);
    if (options.recordFrames) writeFileSync(options.recordFrames, '');
    const watcher = watchDemo(
      demo.lab,
      demo.metricsFile,
      guests.map((g) => g.id),
    );
    const lab = demo.lab;
    const startActivities = () =>
      playActivities(lab, guests, demo?.x ?? null, (n) =>
        feed({ type: 'activity', at: Date.now(), note: n }),
      );
    daemon = spawn(process.execPath, [HOST_CLI, 'daemon'], {
      env: demo.env,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    lines(daemon.stderr, (raw) => {
      const text = toolLine(raw);
      if (text) feed({ type: 'tool-log', at: Date.now(), text });
    });
    note(
      'lab',
      `lab folder ${demo.lab.dir}: its qm, pct, pvesh and systemctl come first on the host tool's PATH`,
    );
    note('lab', `the host tool runs: proxmox-sleep daemon (config ${demo.configFile})`);
    activities = startActivities();
    const daemonExit = new Promise<string>((resolve) =>
      daemon?.once('close', (code, signal) => resolve(`the host tool exited (${signal ?? `exit ${code}`})`)),
    );
    let stopWith: string | null = null;
    void options.interrupted.then((why) => {
      if (stopWith) return;
      stopWith = why;
      stoppedByUser = true;
    });
    void daemonExit.then((why) => {
      // Only while the demo still needs it: the end of the demo stops it too.
      if (!stopWith && !finishing) {
        stopWith = why;
        failed = true;
      }
    });
    let checking = false;
    let activitiesFor = 1;
    while (!stopWith) {
      for (const o of watcher.poll()) feed(o);
      const cycle = currentCycle(state);
      // Back after the wake: ask the host tool whether its sequence is over.
      if (cycle.backAt !== undefined && cycle.doneAt === undefined && !checking) {
        checking = true;
        void sequenceOutcome(demo).then((outcome) => {
          checking = false;
          if (outcome) feed({ type: 'sequence-done', at: Date.now(), outcome });
        });
      }
      if (cycle.doneAt !== undefined) {
        // The view ends on the host tool's first check after the cycle (it checks every CHECK_INTERVAL).
        const checked = (state.lastVerdictAt ?? 0) > cycle.doneAt;
        const waited = Date.now() - cycle.doneAt > (timings.checkIntervalSeconds + 1) * 1000;
        if (!checked && !waited) {
          draw();
          flush(false);
          await new Promise((r) => setTimeout(r, TICK_MS));
          continue;
        }
        if (!options.keepRunning) break;
        nextCycle(state, Date.now());
      }
      if (cycle.wokeAt !== undefined && activitiesFor === cycle.number && awaitedBack(state).length === 0) {
        // The user is back at the games after each wake (--keep-running shows the next cycle the same way).
        activitiesFor++;
        if (options.keepRunning) {
          activities.stop();
          activities = startActivities();
        }
      }
      if ((Date.now() - cycle.startedAt) / 1000 > timings.cycleDeadlineSeconds) {
        stopWith = `no full cycle within ${timings.cycleDeadlineSeconds} s`;
        failed = true;
        break;
      }
      draw();
      flush(false);
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
    if (stopWith) reason = stopWith;
    else if (options.keepRunning) reason = `${state.cycles.length} cycles`;
  } catch (e) {
    failed = true;
    reason = `the demo failed: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    finishing = true;
    activities?.stop();
    if (daemon) await stopProcessGroup(daemon, 5000);
    if (demo) await demo.cleanup();
  }
  draw();
  flush(true);
  const { lines: summary, ok } = summarize(state, state.rows, reason, stoppedByUser);
  out.write(`\n${summary.join('\n')}\n`);
  // Ctrl-C before a single full cycle ends like any interrupted command (128 + SIGINT).
  const noCycle = !state.cycles.some((c) => c.doneAt !== undefined);
  const code = failed ? 1 : ok ? 0 : stoppedByUser && noCycle ? 130 : 1;
  return { code, state, summary };
}
