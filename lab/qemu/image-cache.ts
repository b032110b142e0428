/**
 * The lab guest image cache: one folder per recipe hash under LAB_CACHE_DIR (default
 * /var/cache/proxmox-sleep-lab), built once under a lock, then reused. Nothing ever boots the cached files
 * directly: each VM gets its own qcow2 overlays (vm.ts).
 */
import { createHash } from 'crypto';
import { existsSync, promises as fs, readFileSync, readdirSync, statSync } from 'fs';
import * as path from 'path';
import { createRunner, type Runner, which } from '../../common/shell';
import { errorMessage } from '../../common/errors';
import { buildImage, type BuildReport, debootstrapInputs } from './image/build';
import { IMAGE_FILES, RECIPE, RECIPE_DIR } from './image/recipe';
import { withLock } from './lock';
import { findMirror } from './mirror';

export const DEFAULT_CACHE_DIR = '/var/cache/proxmox-sleep-lab';
const BUILD_TOOLS: Record<string, string> = {
  debootstrap: 'debootstrap',
  chroot: 'coreutils',
  'mkfs.ext4': 'e2fsprogs',
  mkswap: 'util-linux',
};
const SBIN_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface ImageManifest extends BuildReport {
  key: string;
  recipe: string;
  mirror: string;
  builtAt: string;
  buildMs: number;
}

export interface LabImage {
  key: string;
  dir: string;
  kernel: string;
  initrd: string;
  root: string;
  swap: string;
  manifest: ImageManifest;
}

export function cacheDirFrom(env: NodeJS.ProcessEnv = process.env): string {
  return env.LAB_CACHE_DIR || DEFAULT_CACHE_DIR;
}

function listFiles(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? listFiles(dir, path.join(rel, e.name)) : e.isFile() ? [path.join(rel, e.name)] : [],
    )
    .sort();
}

/** sha256 over every recipe file (path, executable bit, content) and the mirror, cut to 16 hex digits. */
export function recipeKey(mirror: string, recipeDir = RECIPE_DIR): string {
  const hash = createHash('sha256');
  for (const rel of listFiles(recipeDir)) {
    const file = path.join(recipeDir, rel);
    hash.update(`${rel}\0${statSync(file).mode & 0o111 ? 'x' : '-'}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  hash.update(`mirror\0${mirror}`);
  return hash.digest('hex').slice(0, 16);
}

function imageAt(dir: string): LabImage | null {
  const manifestFile = path.join(dir, IMAGE_FILES.manifest);
  if (!existsSync(manifestFile)) return null;
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as ImageManifest;
  return {
    key: manifest.key,
    dir,
    kernel: path.join(dir, IMAGE_FILES.kernel),
    initrd: path.join(dir, IMAGE_FILES.initrd),
    root: path.join(dir, IMAGE_FILES.root),
    swap: path.join(dir, IMAGE_FILES.swap),
    manifest,
  };
}

export interface ImageRequest {
  env?: NodeJS.ProcessEnv;
  progress?: (line: string) => void;
  run?: Runner;
  /** How long to wait for another process's build; default 20 min. */
  lockTimeoutMs?: number;
}

export function imageDirFor(cacheDir: string, key: string): string {
  return path.join(cacheDir, `${RECIPE.name}-${key}`);
}

/** The cached image for the current recipe, or null (never builds). */
export function findImage(env: NodeJS.ProcessEnv = process.env): LabImage | null {
  return imageAt(imageDirFor(cacheDirFrom(env), recipeKey(findMirror(RECIPE.suite, env))));
}

/** Why this process cannot build the image (empty when it can); the search path includes the sbin folders. */
export async function buildBlockers(uid: number | undefined, searchPath: string): Promise<string[]> {
  const blockers: string[] = [];
  if (uid !== 0) blockers.push('building the lab image needs root (debootstrap, chroot, mknod): run as root');
  for (const [tool, pkg] of Object.entries(BUILD_TOOLS)) {
    if (!(await which(tool, searchPath)))
      blockers.push(`building the lab image needs ${tool}: apt-get install ${pkg}`);
  }
  return blockers;
}

async function checkCanBuild(key: string, env: NodeJS.ProcessEnv): Promise<void> {
  const blockers = await buildBlockers(process.getuid?.(), `${env.PATH ?? ''}:${SBIN_PATH}`);
  if (blockers.length > 0)
    throw new Error(
      `${blockers.join('; ')} (or point LAB_CACHE_DIR at a cache that already holds ${RECIPE.name}-${key})`,
    );
}

async function unmountUnder(dir: string, run: Runner): Promise<void> {
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1])
    .filter((m) => m && (m === dir || m.startsWith(`${dir}/`)))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) await run('umount', ['-l', m], { timeoutMs: 30_000 });
}

/** Leftovers of builds that were killed (the lock is held, so none is running). */
async function removeStaleBuilds(cacheDir: string, run: Runner): Promise<void> {
  for (const name of await fs.readdir(cacheDir)) {
    if (!name.startsWith('.build-') && !/^debootstrap-.*\.tmp-/.test(name)) continue;
    const dir = path.join(cacheDir, name);
    await unmountUnder(dir, run);
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Only the debootstrap stage of the current package list is kept. */
async function removeOtherStages(cacheDir: string, keep: string, run: Runner): Promise<void> {
  for (const name of await fs.readdir(cacheDir)) {
    if (!name.startsWith('debootstrap-') || name === keep) continue;
    const dir = path.join(cacheDir, name);
    await unmountUnder(dir, run);
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export interface EnsuredImage {
  image: LabImage;
  built: boolean;
  elapsedMs: number;
}

/** Returns the cached image for the current recipe, building it first (once, under a lock) when missing. */
export async function ensureImage(request: ImageRequest = {}): Promise<EnsuredImage> {
  const started = Date.now();
  const env = request.env ?? process.env;
  const progress = request.progress ?? (() => undefined);
  const run =
    request.run ?? createRunner({ timeoutMs: 60_000, env: { ...process.env, PATH: SBIN_PATH, LC_ALL: 'C' } });
  const mirror = findMirror(RECIPE.suite, env);
  const key = recipeKey(mirror);
  const cacheDir = cacheDirFrom(env);
  const finalDir = imageDirFor(cacheDir, key);
  const cached = imageAt(finalDir);
  if (cached) return { image: cached, built: false, elapsedMs: Date.now() - started };

  await checkCanBuild(key, env);
  await fs.mkdir(cacheDir, { recursive: true, mode: 0o755 });
  return withLock(
    path.join(cacheDir, 'build.lock'),
    {
      timeoutMs: request.lockTimeoutMs ?? 20 * 60_000,
      onWait: (pid) => progress(`another build (PID ${pid}) holds ${cacheDir}/build.lock; waiting for it`),
    },
    async () => {
      const done = imageAt(finalDir);
      if (done) return { image: done, built: false, elapsedMs: Date.now() - started };
      await removeStaleBuilds(cacheDir, run);
      const workDir = path.join(cacheDir, `.build-${key}-${process.pid}`);
      await fs.mkdir(workDir, { recursive: true });
      progress(`building ${RECIPE.name}-${key} from ${mirror} in ${workDir}`);
      const stageKey = createHash('sha256').update(debootstrapInputs(mirror)).digest('hex').slice(0, 16);
      const debootstrapCache = path.join(cacheDir, `debootstrap-${stageKey}`);
      await removeOtherStages(cacheDir, path.basename(debootstrapCache), run);
      try {
        const report = await buildImage({ run, mirror, workDir, debootstrapCache, progress });
        const manifest: ImageManifest = {
          key,
          recipe: RECIPE.name,
          mirror,
          builtAt: new Date().toISOString(),
          buildMs: Date.now() - started,
          ...report,
        };
        await fs.writeFile(
          path.join(workDir, IMAGE_FILES.manifest),
          `${JSON.stringify(manifest, null, 2)}\n`,
        );
        await fs.rename(workDir, finalDir);
      } catch (e) {
        await unmountUnder(workDir, run);
        await fs.rm(workDir, { recursive: true, force: true });
        throw new Error(`building the lab image ${RECIPE.name}-${key} failed: ${errorMessage(e)}`, {
          cause: e,
        });
      }
      const image = imageAt(finalDir);
      if (!image) throw new Error(`the lab image build left no ${IMAGE_FILES.manifest} in ${finalDir}`);
      progress(`built ${finalDir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return { image, built: true, elapsedMs: Date.now() - started };
    },
  );
}
