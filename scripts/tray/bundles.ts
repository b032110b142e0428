/**
 * Builds what the tray package loads outside the main process (`npm run build` runs this after tsc):
 *   - dist/agent-app/electron/bundles/: the status window's sandboxed preload (it may require only
 *     `electron`, so ipc-channels is bundled into it), the page script (an IIFE) and the page's HTML/CSS;
 *   - dist/tray-cli/: the tray package's agent CLI as one file (proxmox-sleep-agent.js), and its
 *     `power-requests` alone (power-requests.js, the resident Windows SYSTEM task, kept small); the
 *     installers put them next to the app (outside app.asar) and run them with Electron in Node mode.
 */
import { copyFileSync, mkdirSync } from 'fs';
import * as path from 'path';
import { build } from 'esbuild';
import { repoRoot } from '../../lab/qemu/repo-root';
import { EXTERNAL } from '../package/bundle';

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

export interface CliBundles {
  /** The whole command line. */
  cli: string;
  /** `power-requests` alone, for the resident Windows SYSTEM task. */
  powerRequests: string;
}

export async function buildTrayCli(outDir = path.join(repoRoot(), 'dist', 'tray-cli')): Promise<CliBundles> {
  const root = repoRoot();
  const out = {
    cli: path.join(outDir, 'proxmox-sleep-agent.js'),
    powerRequests: path.join(outDir, 'power-requests.js'),
  };
  const entries: [string, string][] = [
    ['main.ts', out.cli],
    ['power-requests-main.ts', out.powerRequests],
  ];
  for (const [entry, outfile] of entries)
    await build({
      absWorkingDir: root,
      entryPoints: [path.join(root, 'agent-app', 'electron', 'cli', entry)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node18',
      external: EXTERNAL,
      legalComments: 'none',
      logLevel: 'warning',
    });
  return out;
}

if (require.main === module) {
  Promise.all([buildTrayBundles(), buildTrayCli()]).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
