/** Input idle under a real X server (Xvfb), read with xprintidle, input made with xdotool. */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { $, type ProcessPromise } from 'zx';
import * as inputCheck from '../../../../agent-app/core/checks/input-idle';
import { createInputIdleChain } from '../../../../agent-app/platform/linux/input-idle';
import {
  createX11IdleSource,
  localDisplays,
  xwaylandDisplays,
} from '../../../../agent-app/platform/linux/x11-idle';
import { findOnPath, lazyRunner } from '../../../../agent-app/platform/shared/commands';
import { UnavailableError } from '../../../../common/errors';

const DISPLAY = `:${90 + (process.pid % 9)}`;
let xvfb: ProcessPromise;
let dir: string;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const run = lazyRunner({ timeoutMs: 5000 });
const ctx = () => ({ signal: new AbortController().signal, now: Date.now() });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'agent-x11-'));
  xvfb = $`Xvfb ${DISPLAY} -screen 0 640x480x24 -nolisten tcp`.nothrow().quiet();
  for (let i = 0; i < 100; i++) {
    if ((await $({ env: { ...process.env, DISPLAY } })`xdpyinfo`.nothrow().quiet()).exitCode === 0) return;
    await sleep(50);
  }
  throw new Error('Xvfb did not start');
});
afterAll(async () => {
  await xvfb.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('X11 input idle (Xvfb + xprintidle + xdotool)', () => {
  const source = () =>
    createX11IdleSource({ displays: [DISPLAY], xauthority: null, run, findOnPath: (c) => findOnPath(c) });

  it('is active right after input and idle once the window has passed', async () => {
    const check = inputCheck.create({ activeWithinSeconds: 1 }, { probe: createInputIdleChain([source()]) });
    await $({ env: { ...process.env, DISPLAY } })`xdotool mousemove_relative 5 5`.quiet();
    expect(await check.run(ctx())).toMatchObject({
      state: 'active',
      reason: 'user_input',
      evidence: { user_idle_source: 'x11' },
    });
    await sleep(1300);
    const later = await check.run(ctx());
    expect(later).toMatchObject({ state: 'idle' });
    expect(later.evidence?.user_idle_seconds).toBeGreaterThanOrEqual(1);
    await $({ env: { ...process.env, DISPLAY } })`xdotool key shift`.quiet();
    expect(await check.run(ctx())).toMatchObject({ state: 'active' });
  });

  it('finds the display from its socket when none is configured', async () => {
    expect(await localDisplays()).toContain(DISPLAY);
    const auto = createX11IdleSource({
      displays: [],
      xauthority: null,
      run,
      findOnPath: (c) => findOnPath(c),
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    const reading = await auto.read(new AbortController().signal);
    expect(reading.source).toBe('x11');
  });

  it('is unavailable without X or without xprintidle, and unknown when the display refuses', async () => {
    const noX = createX11IdleSource({
      displays: [],
      xauthority: null,
      run,
      findOnPath: (c) => findOnPath(c),
      env: {},
      socketDir: path.join(dir, 'none'),
    });
    await expect(noX.read(new AbortController().signal)).rejects.toBeInstanceOf(UnavailableError);
    const noTool = createX11IdleSource({
      displays: [DISPLAY],
      xauthority: null,
      run,
      findOnPath: async () => null,
    });
    await expect(noTool.read(new AbortController().signal)).rejects.toThrow(/xprintidle is not installed/);
    const dead = createX11IdleSource({
      displays: [':77'],
      xauthority: null,
      run,
      findOnPath: (c) => findOnPath(c),
      procDir: dir,
    });
    const error = await dead.read(new AbortController().signal).catch((e: Error) => e);
    expect(error).not.toBeInstanceOf(UnavailableError);
    expect(String(error)).toMatch(/xprintidle on :77/);
  });

  it("skips a display Xwayland serves (a Wayland session's X server) and says so", async () => {
    // A real process whose name and command line are an Xwayland's, for a display nobody else uses.
    const wayland = `:${60 + (process.pid % 9)}`;
    const fake = path.join(dir, 'Xwayland');
    writeFileSync(fake, "#!/bin/sh\ntrap 'kill $! 2>/dev/null; exit 0' TERM\nsleep 30 &\nwait $!\n", {
      mode: 0o755,
    });
    const xwayland = $`${fake} ${wayland} -rootless -noreset`.nothrow().quiet();
    try {
      const source = (displays: string[]) =>
        createX11IdleSource({ displays, xauthority: null, run, findOnPath: (c) => findOnPath(c) });
      for (let i = 0; i < 100 && !xwaylandDisplays().has(wayland); i++) await sleep(20);
      expect(xwaylandDisplays().has(wayland)).toBe(true);
      const only = await source([wayland])
        .read(new AbortController().signal)
        .catch((e: Error) => e);
      expect(only).toBeInstanceOf(UnavailableError);
      expect(String(only)).toContain(`${wayland} is Xwayland: a Wayland session`);
      expect((await source([wayland, DISPLAY]).read(new AbortController().signal)).source).toBe('x11');
    } finally {
      await xwayland.kill();
    }
  });
});
