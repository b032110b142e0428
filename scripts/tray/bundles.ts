/**
 * Builds what the tray's status window loads: the sandboxed preload (it may require only `electron`, so
 * ipc-channels is bundled into it) and the page script (an IIFE for the browser), next to the page's HTML
 * and CSS in dist/agent-app/electron/bundles/. `npm run build` runs this after tsc.
 */
import { copyFileSync, mkdirSync } from 'fs';
import * as path from 'path';
import { build } from 'esbuild';
import { repoRoot } from './repo-root';

export interface BundleResult {
  outDir: string;
  /** Source files that went into each bundle (relative to the repository). */
  preloadInputs: string[];
  pageInputs: string[];
}

export async function buildTrayBundles(
  outDir = path.join(repoRoot(), 'dist', 'agent-app', 'electron', 'bundles'),
): Promise<BundleResult> {
  const root = repoRoot();
  const source = path.join(root, 'agent-app', 'electron');
  mkdirSync(outDir, { recursive: true });
  const common = {
    absWorkingDir: root,
    bundle: true,
    target: 'es2022',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  } as const;
  const preload = await build({
    ...common,
    entryPoints: [path.join(source, 'preload', 'preload.ts')],
    outfile: path.join(outDir, 'preload.js'),
    platform: 'node',
    format: 'cjs',
    external: ['electron'],
  });
  const page = await build({
    ...common,
    entryPoints: [path.join(source, 'renderer', 'status-page.ts')],
    outfile: path.join(outDir, 'status-page.js'),
    platform: 'browser',
    format: 'iife',
  });
  for (const file of ['status.html', 'status.css'])
    copyFileSync(path.join(source, 'renderer', file), path.join(outDir, file));
  return {
    outDir,
    preloadInputs: Object.keys(preload.metafile.inputs),
    pageInputs: Object.keys(page.metafile.inputs),
  };
}

if (require.main === module) {
  buildTrayBundles().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
