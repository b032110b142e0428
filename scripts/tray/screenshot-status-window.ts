/**
 * Writes docs/images/status-window.png: the real status page in headless Chromium showing a computer in
 * use, with a block earlier in the hour (`npm run gen:tray-screenshot`).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { buildTrayBundles } from './bundles';
import { repoRoot } from '../../lab/qemu/repo-root';
import { samples } from './sample-snapshots';
import { launchChromium, openStatusPage } from './status-page-harness';

export async function screenshotStatusWindow(file: string, scale = 1): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tray-page-'));
  const browser = await launchChromium();
  try {
    await buildTrayBundles(dir);
    const view = await openStatusPage(browser, dir, samples.active(), { width: 720, height: 900, scale });
    await view.page.waitForSelector('#checks tr');
    mkdirSync(path.dirname(file), { recursive: true });
    await view.page.locator('main').screenshot({ path: file });
    await view.close();
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const file = path.join(repoRoot(), 'docs', 'images', 'status-window.png');
  screenshotStatusWindow(file).then(
    () => console.log(`wrote ${file}`),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
