/**
 * The real status page (bundled script, HTML, CSS) in real headless Chromium, with a stub of the preload's
 * API: every state is shown correctly, the block controls call the API, and a screenshot is produced.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { buildTrayBundles } from '../../../../scripts/tray/bundles';
import { repoRoot } from '../../../../lab/qemu/repo-root';
import { SAMPLE_NOW, samples } from '../../../../scripts/tray/sample-snapshots';
import {
  launchChromium,
  openStatusPage,
  type StatusPage,
} from '../../../../scripts/tray/status-page-harness';
import type { StatusSnapshot } from '../../../../agent-app/electron/ipc-channels';

let dir: string;
let browser: Browser;
const open: StatusPage[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'status-page-'));
  await buildTrayBundles(dir);
  browser = await launchChromium();
});
afterEach(async () => {
  for (const view of open.splice(0)) await view.close();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function show(snapshot: StatusSnapshot): Promise<StatusPage> {
  const view = await openStatusPage(browser, dir, snapshot);
  open.push(view);
  const errors: string[] = [];
  view.page.on('pageerror', (e) => errors.push(e.message));
  view.page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await view.page.waitForFunction("document.getElementById('updated').textContent !== ''");
  expect(errors).toEqual([]);
  return view;
}

const text = (view: StatusPage, selector: string) => view.page.locator(selector).innerText();
const visible = (view: StatusPage, selector: string) => view.page.locator(selector).isVisible();

describe('status window page', () => {
  it('active: verdict, reasons, checks with state and detail, the hour as bands', async () => {
    const view = await show(samples.active());
    expect(await view.page.locator('#verdict').getAttribute('data-state')).toBe('active');
    expect(await text(view, '#headline')).toBe('This computer is in use: the host stays awake');
    expect(await text(view, '#line')).toBe('Active: GPU 85 %, keyboard/mouse used 12 s ago');
    expect(await text(view, '#identity')).toBe('gaming-pc · tray 2.0.0 · windows');
    const rows = await view.page
      .locator('#checks tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows).toEqual([
      ['Keyboard and mouse', 'active', 'input 12s ago (< 60s, electron)'],
      ['GPU', 'active', 'GPU 85% > 10% (GPU engine counters, 3D)'],
      ['Power requests', 'idle', 'none (powercfg, via task)'],
      ['Watched programs', 'idle', 'none of 3 watched running'],
      ['CPU', 'unknown', 'timed out after 5s'],
    ]);
    const bands = await view.page
      .locator('#chart-bands rect')
      .evaluateAll((rects) =>
        rects.map((r) => [r.getAttribute('class'), Math.round(Number(r.getAttribute('width')))]),
      );
    expect(bands).toEqual([
      ['band-none', 83],
      ['band-idle', 267],
      ['band-active', 283],
      ['band-blocked', 150],
      ['band-active', 217],
    ]);
    // the bands are painted in the state colours
    const fills = await view.page
      .locator('#chart-bands rect')
      .evaluateAll((rects) =>
        rects.map(
          (r) =>
            (globalThis as unknown as { getComputedStyle(e: unknown): { fill: string } }).getComputedStyle(r)
              .fill,
        ),
      );
    expect(new Set(fills).size).toBe(4);
    expect(await text(view, '#legend')).toMatch(
      /idle 16 min\s+in use 30 min\s+sleep blocked 9 min\s+no data 5 min/,
    );
    expect(await visible(view, '#block-active')).toBe(false);
    expect(await visible(view, '#warning')).toBe(false);
  });

  it('idle', async () => {
    const view = await show(samples.idle());
    expect(await view.page.locator('#verdict').getAttribute('data-state')).toBe('idle');
    expect(await text(view, '#headline')).toBe('This computer is idle: the host may sleep');
    expect(await text(view, '#line')).toBe('Idle 12 min — host may sleep');
    expect(await text(view, '#facts')).toContain('Idle for');
  });

  it('blocked until a time: the countdown and a Stop button', async () => {
    const view = await show(samples.blockedUntil());
    expect(await view.page.locator('#verdict').getAttribute('data-state')).toBe('blocked');
    expect(await visible(view, '#block-active')).toBe(true);
    expect(await text(view, '#block-text')).toBe('Blocked until 15:30 — 1 h 23 min left');
    expect(await text(view, '#line')).toBe('Sleep blocked — 1 h 23 min left');
  });

  it('blocked until turned off', async () => {
    const view = await show(samples.blockedIndefinitely());
    expect(await text(view, '#block-text')).toBe('Blocked until you turn it off');
    expect(await text(view, '#line')).toBe('Sleep blocked until you turn it off');
  });

  it('waiting for the first check, then the status arrives through onStatus', async () => {
    const view = await show(samples.waiting());
    expect(await view.page.locator('#verdict').getAttribute('data-state')).toBe('starting');
    expect(await visible(view, '#no-checks')).toBe(true);
    await view.push(samples.starting());
    expect(await view.page.locator('#verdict').getAttribute('data-state')).toBe('starting');
    expect(await text(view, '#headline')).toBe('Starting — the first check runs now');
    await view.push(samples.active());
    expect(await view.page.locator('#verdict').getAttribute('data-state')).toBe('active');
    expect(await view.page.locator('#checks tr').count()).toBe(5);
    expect(await visible(view, '#no-checks')).toBe(false);
  });

  it('a status file that cannot be written shows a warning', async () => {
    const view = await show(samples.writeError());
    expect(await visible(view, '#warning')).toBe(true);
    expect(await text(view, '#warning')).toContain('EPERM');
  });

  it('shows untrusted text as text, never as markup', async () => {
    const view = await show(samples.hostile());
    expect(await text(view, '#checks td.detail')).toBe('<img src=x onerror="document.title=1">');
    expect(await view.page.locator('img').count()).toBe(0);
    expect(await view.page.title()).toBe('Proxmox Sleep Agent');
  });

  it('the block buttons call the API with their preset and show the answer', async () => {
    const view = await show(samples.idle());
    const labels = await view.page.locator('#presets button').allInnerTexts();
    expect(labels).toEqual([
      '30 minutes',
      '1 hour',
      '2 hours',
      '4 hours',
      'Until tomorrow morning',
      'Until I turn it off',
    ]);
    for (const label of labels) await view.page.getByRole('button', { name: label, exact: true }).click();
    expect(await view.calls()).toEqual(['30m', '1h', '2h', '4h', 'morning', 'indefinitely']);
    await view.page.waitForFunction("document.getElementById('block-reply').textContent === 'Sleep blocked'");

    await view.push(samples.blockedUntil(SAMPLE_NOW + 1000));
    await view.setReply({ success: true, message: 'Sleep block cleared' });
    await view.page.getByRole('button', { name: 'Stop blocking' }).click();
    expect((await view.calls()).at(-1)).toBe('off');
    await view.page.waitForFunction(
      "document.getElementById('block-reply').textContent === 'Sleep block cleared'",
    );
  });

  it('a refused block is explained', async () => {
    const view = await show(samples.idle());
    await view.setReply({ success: false, message: 'cannot save the block: EACCES' });
    await view.page.getByRole('button', { name: '2 hours' }).click();
    await view.page.waitForFunction("document.getElementById('block-reply').dataset.success === 'false'");
    expect(await text(view, '#block-reply')).toBe('cannot save the block: EACCES');
  });

  it('renders a screenshot (the docs picture is the same page)', async () => {
    const view = await show(samples.active());
    const png = await view.page.locator('main').screenshot();
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(760);
    const docs = readFileSync(path.join(repoRoot(), 'docs', 'images', 'status-window.png'));
    expect(docs.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(docs.readUInt32BE(16)).toBeGreaterThanOrEqual(720);
  });
});
