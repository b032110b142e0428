/**
 * Opens the real status page (the built bundle, its HTML and CSS) in headless Chromium with a stub of the
 * preload's API in place of Electron, for the page tests and the docs screenshot.
 */
import { existsSync } from 'fs';
import { pathToFileURL } from 'url';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { StatusSnapshot } from '../../agent-app/electron/ipc-channels';
import type { Reply } from '../../protocol/commands';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--font-render-hinting=none',
];

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} not found (apt-get install chromium)`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface StatusPage {
  page: Page;
  /** Delivers a snapshot as the main process would (onStatus). */
  push(snapshot: StatusSnapshot): Promise<void>;
  /** The presets the page passed to setBlock, in order. */
  calls(): Promise<string[]>;
  /** What the next setBlock calls answer. */
  setReply(reply: Reply): Promise<void>;
  close(): Promise<void>;
}

interface StubState {
  snapshot: StatusSnapshot;
  calls: string[];
  listeners: ((s: StatusSnapshot) => void)[];
  reply: Reply;
}

export async function openStatusPage(
  browser: Browser,
  bundleDir: string,
  initial: StatusSnapshot,
  options: { width?: number; height?: number; scale?: number; colorScheme?: 'light' | 'dark' } = {},
): Promise<StatusPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 760, height: options.height ?? 900 },
    deviceScaleFactor: options.scale ?? 1,
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  await page.addInitScript((snapshot: StatusSnapshot) => {
    const state: StubState = {
      snapshot,
      calls: [],
      listeners: [],
      reply: { success: true, message: 'Sleep blocked' },
    };
    const w = globalThis as unknown as Record<string, unknown>;
    w.__stub = state;
    w.proxmoxSleep = {
      getStatus: async () => state.snapshot,
      setBlock: async (preset: string) => {
        state.calls.push(preset);
        return state.reply;
      },
      onStatus: (listener: (s: StatusSnapshot) => void) => {
        state.listeners.push(listener);
        return () => {
          state.listeners = state.listeners.filter((l) => l !== listener);
        };
      },
    };
  }, initial);
  await page.goto(pathToFileURL(path.join(bundleDir, 'status.html')).toString());
  await page.waitForSelector('#presets button');
  return {
    page,
    async push(snapshot) {
      await page.evaluate((s) => {
        const state = (globalThis as unknown as { __stub: StubState }).__stub;
        state.snapshot = s;
        state.listeners.forEach((l) => l(s));
      }, snapshot);
    },
    calls: () => page.evaluate(() => (globalThis as unknown as { __stub: StubState }).__stub.calls),
    async setReply(reply) {
      await page.evaluate((r) => {
        (globalThis as unknown as { __stub: StubState }).__stub.reply = r;
      }, reply);
    },
    close: () => context.close(),
  };
}
