/**
 * The icons in assets/ come from one source (scripts/tray/icons/icon-svg.ts): every file exists at its
 * pixel size, the containers hold what the installers expect (checked with icns2png from icnsutils too),
 * and the macOS template images are black + alpha only (read back in real Chromium).
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { $ } from 'zx';
import type { Browser } from 'playwright-core';
import { TRAY_STATES } from '../../../agent-app/electron/tray/tray-icon';
import {
  ICNS_TYPES,
  buildIcns,
  buildIco,
  pngSize,
  readIcns,
  readIco,
} from '../../../scripts/tray/icons/containers';
import { APP_ICO_SIZES, TRAY_ICO_SIZES } from '../../../scripts/tray/icons/generate-icons';
import { appSvg, traySvg } from '../../../scripts/tray/icons/icon-svg';
import { launchChromium } from '../../../scripts/tray/status-page-harness';

const assets = path.join(__dirname, '..', '..', '..', 'assets');
const read = (name: string) => readFileSync(path.join(assets, name));

describe('icon containers', () => {
  const png = (size: number) => {
    const b = Buffer.alloc(33);
    b.write('\x89PNG\r\n\x1a\n', 0, 'latin1');
    b.writeUInt32BE(13, 8);
    b.write('IHDR', 12, 'latin1');
    b.writeUInt32BE(size, 16);
    b.writeUInt32BE(size, 20);
    return b;
  };

  it('.ico round-trips; 256 px is stored as 0', () => {
    const ico = buildIco([png(16), png(256)]);
    expect(ico.subarray(0, 6)).toEqual(Buffer.from([0, 0, 1, 0, 2, 0]));
    expect(ico[6 + 16]).toBe(0);
    expect(readIco(ico).map((e) => [e.width, pngSize(e.png).width])).toEqual([
      [16, 16],
      [256, 256],
    ]);
    expect(() => buildIco([png(512)])).toThrow(/at most 256/);
  });

  it('.icns round-trips', () => {
    const icns = buildIcns([{ type: 'ic07', png: png(128) }]);
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    expect(readIcns(icns).map((e) => [e.type, pngSize(e.png).width])).toEqual([['ic07', 128]]);
    expect(() => buildIcns([{ type: 'toolong', png: png(1) }])).toThrow(/bad icns type/);
  });

  it('refuses what is not a PNG', () =>
    expect(() => pngSize(Buffer.from('GIF89a....................'))).toThrow('not a PNG'));
});

describe('assets/', () => {
  it('the SVG sources are exactly what icon-svg.ts draws (one source for everything)', () => {
    for (const state of TRAY_STATES) {
      expect(read(`src/tray-${state}.svg`).toString()).toBe(traySvg(state, false));
      expect(read(`src/tray-${state}-template.svg`).toString()).toBe(traySvg(state, true));
    }
    expect(read('src/app.svg').toString()).toBe(appSvg());
  });

  it.each(TRAY_STATES)('tray %s: 16 and 32 px with @2x, a template pair, a multi-size .ico', (state) => {
    const size = (name: string) => pngSize(read(`tray/${name}`)).width;
    expect(size(`tray-${state}-16.png`)).toBe(16);
    expect(size(`tray-${state}-16@2x.png`)).toBe(32);
    expect(size(`tray-${state}-32.png`)).toBe(32);
    expect(size(`tray-${state}-32@2x.png`)).toBe(64);
    expect(size(`tray-${state}Template.png`)).toBe(16);
    expect(size(`tray-${state}Template@2x.png`)).toBe(32);
    expect(readIco(read(`tray/tray-${state}.ico`)).map((e) => pngSize(e.png).width)).toEqual(TRAY_ICO_SIZES);
  });

  it('app icons for the installers: .ico, .icns, Linux sizes', async () => {
    expect(readIco(read('icons/app.ico')).map((e) => pngSize(e.png).width)).toEqual(APP_ICO_SIZES);
    const icns = readIcns(read('icons/app.icns'));
    expect(icns.map((e) => [e.type, pngSize(e.png).width])).toEqual(
      ICNS_TYPES.map((t) => [t.type, t.pixels]),
    );
    expect(pngSize(read('icons/linux/512x512.png')).width).toBe(512);
    expect(pngSize(read('icons/app-256.png')).width).toBe(256);
    // an independent reader (libicns) accepts the file and finds every element
    const listed = await $`icns2png -l ${path.join(assets, 'icons', 'app.icns')}`.nothrow().quiet();
    expect(listed.exitCode).toBe(0);
    expect(listed.stdout).toContain('11 elements total');
    expect(listed.stdout).toMatch(/'ic10' 1024x1024 32-bit icon/);
  });

  describe('pixels (read back in Chromium)', () => {
    let browser: Browser;
    beforeAll(async () => (browser = await launchChromium()));
    afterAll(async () => browser?.close());

    /** [opaque-ish pixel count, max R/G/B over visible pixels, average colour] of a PNG. */
    async function pixels(png: Buffer) {
      const page = await browser.newPage();
      try {
        // Runs in the page; written as a string so this file needs no DOM types.
        return (await page.evaluate(`(async () => {
          const img = new Image();
          img.src = ${JSON.stringify(`data:image/png;base64,${png.toString('base64')}`)};
          await img.decode();
          const canvas = document.createElement('canvas');
          canvas.width = img.width;
          canvas.height = img.height;
          const ctx = canvas.getContext('2d');
          ctx.drawImage(img, 0, 0);
          const data = ctx.getImageData(0, 0, img.width, img.height).data;
          let visible = 0;
          let maxRgb = 0;
          const sum = [0, 0, 0];
          for (let i = 0; i < data.length; i += 4) {
            if (data[i + 3] < 128) continue;
            visible++;
            maxRgb = Math.max(maxRgb, data[i], data[i + 1], data[i + 2]);
            for (let c = 0; c < 3; c++) sum[c] += data[i + c];
          }
          return { visible, maxRgb, average: sum.map((s) => Math.round(s / Math.max(1, visible))) };
        })()`)) as { visible: number; maxRgb: number; average: number[] };
      } finally {
        await page.close();
      }
    }

    it('templates are black shapes on transparency; coloured icons differ by state', async () => {
      const colours: string[] = [];
      for (const state of TRAY_STATES) {
        const template = await pixels(read(`tray/tray-${state}Template.png`));
        expect(template.visible).toBeGreaterThan(30);
        expect(template.visible).toBeLessThan(256);
        expect(template.maxRgb).toBe(0);
        const coloured = await pixels(read(`tray/tray-${state}-32.png`));
        expect(coloured.visible).toBeGreaterThan(120);
        colours.push(coloured.average.join(','));
      }
      expect(new Set(colours).size).toBe(3);
    });
  });
});
