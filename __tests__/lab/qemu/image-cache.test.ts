import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import {
  buildBlockers,
  cacheDirFrom,
  DEFAULT_CACHE_DIR,
  ensureImage,
  findImage,
  imageDirFor,
  recipeKey,
} from '../../../lab/qemu/image-cache';

describe('the lab image cache', () => {
  let cache: string;
  beforeEach(() => {
    cache = mkdtempSync(path.join(tmpdir(), 'lab-cache-'));
  });
  afterEach(() => rmSync(cache, { recursive: true, force: true }));

  const env = () => ({ LAB_CACHE_DIR: cache, LAB_DEBIAN_MIRROR: 'http://mirror.example/debian' });

  it('lives in /var/cache/proxmox-sleep-lab unless LAB_CACHE_DIR says otherwise', () => {
    expect(DEFAULT_CACHE_DIR).toBe('/var/cache/proxmox-sleep-lab');
    expect(cacheDirFrom({})).toBe('/var/cache/proxmox-sleep-lab');
    expect(cacheDirFrom({ LAB_CACHE_DIR: '/srv/lab' })).toBe('/srv/lab');
  });

  it('returns a finished image of the current recipe without building (a folder with a manifest)', async () => {
    const key = recipeKey('http://mirror.example/debian');
    const dir = imageDirFor(cache, key);
    expect(dir).toBe(path.join(cache, `debian12-${key}`));
    expect(findImage(env())).toBeNull();
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ key, kernelRelease: '6.1.0-test' }));
    const progress: string[] = [];
    const ensured = await ensureImage({ env: env(), progress: (l) => progress.push(l) });
    expect(ensured).toMatchObject({ built: false, image: { key, dir, root: path.join(dir, 'root.raw') } });
    expect(progress).toEqual([]);
    expect(findImage(env())?.manifest.kernelRelease).toBe('6.1.0-test');
  });

  it('names every reason it cannot build: not root, tools missing', async () => {
    expect(await buildBlockers(1000, '/nonexistent')).toEqual([
      'building the lab image needs root (debootstrap, chroot, mknod): run as root',
      'building the lab image needs debootstrap: apt-get install debootstrap',
      'building the lab image needs chroot: apt-get install coreutils',
      'building the lab image needs mkfs.ext4: apt-get install e2fsprogs',
      'building the lab image needs mkswap: apt-get install util-linux',
    ]);
    expect(await buildBlockers(0, '/usr/sbin:/usr/bin:/sbin:/bin')).toEqual([]);
  });
});
