/**
 * Renders every icon from icon-svg.ts with headless Chromium (`npm run gen:icons`) into assets/:
 *   src/    the SVG sources as rendered (for review; a test checks they match icon-svg.ts)
 *   tray/   per state: -16/-32 PNGs with @2x, the macOS Template images, a multi-size .ico
 *   icons/  app.ico, app.icns, app-256.png and linux/<N>x<N>.png for the installers
 */
import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import type { Browser, BrowserContext } from 'playwright-core';
import type { TrayState } from '../../../agent-app/electron/shared/describe';
import { TRAY_STATES } from '../../../agent-app/electron/tray/tray-icon';
import { repoRoot } from '../../../lab/qemu/repo-root';
import { launchChromium } from '../status-page-harness';
import { ICNS_TYPES, buildIcns, buildIco } from './containers';
import { appSvg, traySvg } from './icon-svg';

export const TRAY_ICO_SIZES = [16, 20, 24, 32, 40, 48, 64];
export const APP_ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
export const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512];

export interface Renderer {
  /** The SVG drawn at `size` CSS pixels and `scale` device pixels per CSS pixel, as a transparent PNG. */
  render(svg: string, size: number, scale?: 1 | 2): Promise<Buffer>;
  close(): Promise<void>;
}

export async function createRenderer(browser?: Browser): Promise<Renderer> {
  const owned = browser === undefined;
  const chromium = browser ?? (await launchChromium());
  const contexts = new Map<number, BrowserContext>();
  const contextFor = async (scale: number) => {
    let context = contexts.get(scale);
    if (!context) {
      context = await chromium.newContext({
        deviceScaleFactor: scale,
        viewport: { width: 1024, height: 1024 },
      });
      contexts.set(scale, context);
    }
    return context;
  };
  return {
    async render(svg, size, scale = 1) {
      const page = await (await contextFor(scale)).newPage();
      try {
        const sized = svg.replace(/ width="\d+" height="\d+"/, ` width="${size}" height="${size}"`);
        await page.setContent(
          `<!doctype html><html><body style="margin:0;background:transparent">${sized.replace(/<svg /, '<svg style="display:block" ')}</body></html>`,
        );
        return await page.screenshot({
          omitBackground: true,
          clip: { x: 0, y: 0, width: size, height: size },
        });
      } finally {
        await page.close();
      }
    },
    async close() {
      for (const context of contexts.values()) await context.close();
      if (owned) await chromium.close();
    },
  };
}

/** Every output file (relative to assets/) and its bytes. */
export async function renderAllIcons(renderer: Renderer): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const text = (s: string) => Buffer.from(s, 'utf8');
  for (const state of TRAY_STATES as readonly TrayState[]) {
    const color = traySvg(state, false);
    const template = traySvg(state, true);
    files.set(`src/tray-${state}.svg`, text(color));
    files.set(`src/tray-${state}-template.svg`, text(template));
    files.set(`tray/tray-${state}-16.png`, await renderer.render(color, 16, 1));
    files.set(`tray/tray-${state}-16@2x.png`, await renderer.render(color, 16, 2));
    files.set(`tray/tray-${state}-32.png`, await renderer.render(color, 32, 1));
    files.set(`tray/tray-${state}-32@2x.png`, await renderer.render(color, 32, 2));
    files.set(`tray/tray-${state}Template.png`, await renderer.render(template, 16, 1));
    files.set(`tray/tray-${state}Template@2x.png`, await renderer.render(template, 16, 2));
    const icoPngs: Buffer[] = [];
    for (const size of TRAY_ICO_SIZES) icoPngs.push(await renderer.render(color, size, 1));
    files.set(`tray/tray-${state}.ico`, buildIco(icoPngs));
  }
  const app = appSvg();
  files.set('src/app.svg', text(app));
  const bySize = new Map<number, Buffer>();
  const appPng = async (size: number) => {
    if (!bySize.has(size)) bySize.set(size, await renderer.render(app, size, 1));
    return bySize.get(size)!;
  };
  const icoPngs: Buffer[] = [];
  for (const size of APP_ICO_SIZES) icoPngs.push(await appPng(size));
  files.set('icons/app.ico', buildIco(icoPngs));
  const icns: { type: string; png: Buffer }[] = [];
  for (const { type, pixels } of ICNS_TYPES) icns.push({ type, png: await appPng(pixels) });
  files.set('icons/app.icns', buildIcns(icns));
  files.set('icons/app-256.png', await appPng(256));
  for (const size of LINUX_SIZES) files.set(`icons/linux/${size}x${size}.png`, await appPng(size));
  return files;
}

export async function generateIcons(assetsDir = path.join(repoRoot(), 'assets')): Promise<string[]> {
  const renderer = await createRenderer();
  try {
    const files = await renderAllIcons(renderer);
    for (const [name, bytes] of files) {
      const file = path.join(assetsDir, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, bytes);
    }
    return [...files.keys()];
  } finally {
    await renderer.close();
  }
}

if (require.main === module) {
  generateIcons().then(
    (names) => console.log(`wrote ${names.length} files under assets/`),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
