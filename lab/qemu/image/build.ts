/**
 * Builds the lab guest image from Debian's packages: debootstrap, the guest-files/ overlay, a few chroot
 * commands, then a raw ext4 root image (no partition table), a swap disk and the kernel + initrd copied out.
 * Needs root (debootstrap, chroot, device nodes) but not systemd on the host. Caching and locking are the
 * caller's job (../image-cache.ts); this only fills `workDir`.
 */
import { existsSync, promises as fs } from 'fs';
import * as path from 'path';
import type { RunResult, Runner } from '../../../common/shell';
import { describeFailure } from '../../../common/errors';
import { IMAGE_FILES, RECIPE, RECIPE_DIR } from './recipe';

export interface BuildInput {
  run: Runner;
  mirror: string;
  workDir: string;
  /**
   * Where the debootstrap result for this mirror and package list is kept (about 75 s of work), so that a
   * change to the rest of the recipe does not download and unpack everything again.
   */
  debootstrapCache: string;
  progress: (line: string) => void;
}

/** What the debootstrap stage depends on; its cache folder is named by a hash of this. */
export function debootstrapInputs(mirror: string): string {
  return JSON.stringify({ suite: RECIPE.suite, variant: RECIPE.variant, packages: RECIPE.packages, mirror });
}

export interface BuildReport {
  kernelRelease: string;
  packages: Record<string, string>;
  stepsMs: Record<string, number>;
}

const MINUTE = 60_000;

function must(result: RunResult, what: string): RunResult {
  if (result.exitCode !== 0) throw new Error(`${what} failed: ${describeFailure(result)}`);
  return result;
}

async function copyTree(from: string, to: string): Promise<void> {
  for (const entry of await fs.readdir(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dest = path.join(to, entry.name);
    if (entry.isDirectory()) {
      await fs.mkdir(dest, { recursive: true, mode: 0o755 });
      await copyTree(src, dest);
    } else {
      const executable = ((await fs.stat(src)).mode & 0o111) !== 0;
      await fs.copyFile(src, dest);
      await fs.chmod(dest, executable ? 0o755 : 0o644);
    }
  }
}

export async function buildImage(input: BuildInput): Promise<BuildReport> {
  const { run, mirror, workDir, progress } = input;
  const rootfs = path.join(workDir, 'rootfs');
  const stepsMs: Record<string, number> = {};
  const step = async <T>(name: string, body: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    progress(`${name} …`);
    const heartbeat = setInterval(
      () => progress(`${name}: still running (${Math.round((Date.now() - started) / 1000)} s)`),
      15_000,
    );
    try {
      return await body();
    } finally {
      clearInterval(heartbeat);
      stepsMs[name] = Date.now() - started;
      progress(`${name}: ${(stepsMs[name] / 1000).toFixed(1)} s`);
    }
  };
  const chroot = (args: string[], what: string) =>
    run('chroot', [rootfs, ...args], { timeoutMs: 5 * MINUTE }).then((r) => must(r, what));

  await step('debootstrap', async () => {
    if (existsSync(path.join(input.debootstrapCache, 'rootfs', 'etc', 'debian_version'))) {
      progress(`reusing ${input.debootstrapCache}`);
    } else {
      progress('downloading and unpacking Debian: 75 s on an idle 2-core machine, kept for the next build');
      const fresh = `${input.debootstrapCache}.tmp-${process.pid}`;
      await fs.rm(fresh, { recursive: true, force: true });
      must(
        await run(
          'debootstrap',
          [
            `--variant=${RECIPE.variant}`,
            `--include=${RECIPE.packages.join(',')}`,
            RECIPE.suite,
            path.join(fresh, 'rootfs'),
            mirror,
          ],
          { timeoutMs: 20 * MINUTE },
        ),
        'debootstrap',
      );
      await fs.rm(input.debootstrapCache, { recursive: true, force: true });
      await fs.rename(fresh, input.debootstrapCache);
    }
    must(
      await run('cp', ['-a', path.join(input.debootstrapCache, 'rootfs'), rootfs], {
        timeoutMs: 10 * MINUTE,
      }),
      'copying the debootstrap result',
    );
  });

  const report = await step('configure', async () => {
    await copyTree(path.join(RECIPE_DIR, 'guest-files'), rootfs);
    for (const dir of RECIPE.directories) await fs.mkdir(path.join(rootfs, dir), { recursive: true });
    await chroot(['passwd', '-d', 'root'], 'passwd -d root');
    await chroot(['systemctl', 'mask', ...RECIPE.masked], 'systemctl mask');
    await chroot(['update-initramfs', '-u', '-k', 'all'], 'update-initramfs');
    await chroot(['apt-get', 'clean'], 'apt-get clean');
    const query = await chroot(
      ['dpkg-query', '-W', '-f=${Package}=${Version}\\n', ...RECIPE.packages],
      'dpkg-query',
    );
    const packages: Record<string, string> = {};
    for (const line of query.stdout.split('\n').filter(Boolean)) {
      const [name, version] = line.split('=');
      packages[name] = version;
    }
    const releases = await fs.readdir(path.join(rootfs, 'lib', 'modules'));
    if (releases.length !== 1)
      throw new Error(`expected one kernel in the image, found: ${releases.join(', ')}`);
    return { kernelRelease: releases[0], packages };
  });

  await step('disk images', async () => {
    await fs.copyFile(
      path.join(rootfs, 'boot', `vmlinuz-${report.kernelRelease}`),
      path.join(workDir, IMAGE_FILES.kernel),
    );
    await fs.copyFile(
      path.join(rootfs, 'boot', `initrd.img-${report.kernelRelease}`),
      path.join(workDir, IMAGE_FILES.initrd),
    );
    const root = path.join(workDir, IMAGE_FILES.root);
    must(
      await run(
        'mkfs.ext4',
        ['-q', '-F', '-L', 'root', '-d', rootfs, root, `${RECIPE.rootSizeBytes / 1024}k`],
        {
          timeoutMs: 5 * MINUTE,
        },
      ),
      'mkfs.ext4 (root image)',
    );
    const swap = path.join(workDir, IMAGE_FILES.swap);
    await fs.writeFile(swap, '');
    await fs.truncate(swap, RECIPE.swapSizeBytes);
    must(await run('mkswap', ['-L', 'swap', swap], { timeoutMs: MINUTE }), 'mkswap');
    await fs.rm(rootfs, { recursive: true, force: true });
  });

  return { ...report, stepsMs };
}
