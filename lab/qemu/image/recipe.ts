/**
 * The lab guest image, as data. Every file in this folder (this one, build.ts and guest-files/) is hashed into
 * the image's cache key, so any change to the recipe builds a new image; nothing else does.
 */
import * as path from 'path';
import { repoRoot } from '../repo-root';

/** This folder in the source tree (also when running from dist/, which has no guest-files/). */
export const RECIPE_DIR = path.join(repoRoot(), 'lab', 'qemu', 'image');

const MiB = 1024 * 1024;

export const RECIPE = {
  name: 'debian12',
  suite: 'bookworm',
  variant: 'minbase',
  /**
   * udev starts qemu-ga (its unit binds to the virtio port's device); dbus lets `shutdown +0` reach logind, so
   * guest-shutdown works; zstd compresses the initrd; procps/iproute2/libpam-systemd are what a Linux agent
   * probes (ps, ss, logind sessions); nodejs (Debian's 18) runs the counter and the agent.
   */
  packages: [
    'linux-image-amd64',
    'systemd-sysv',
    'udev',
    'dbus',
    'libpam-systemd',
    'qemu-guest-agent',
    'procps',
    'iproute2',
    'nodejs',
    'zstd',
  ],
  rootSizeBytes: 2048 * MiB,
  /** At least the largest guest RAM the lab allows: the hibernation image must fit. */
  swapSizeBytes: 1024 * MiB,
  /** Units that would wake up a guest for housekeeping (and spoil idle measurements) or are useless here. */
  masked: [
    'apt-daily.timer',
    'apt-daily-upgrade.timer',
    'dpkg-db-backup.timer',
    'e2scrub_all.timer',
    'fstrim.timer',
    'e2scrub_reap.service',
    'systemd-pstore.service',
    'getty@tty1.service',
    // Kernel interfaces and modules nothing in the lab uses; each costs about 2 s of a TCG boot.
    'dev-hugepages.mount',
    'dev-mqueue.mount',
    'sys-kernel-debug.mount',
    'sys-kernel-tracing.mount',
    'sys-kernel-config.mount',
    'modprobe@drm.service',
    'modprobe@fuse.service',
    'modprobe@configfs.service',
    'modprobe@dm_mod.service',
    'modprobe@loop.service',
  ],
  /** Created in the root file system (mount points). */
  directories: ['/lab'],
} as const;

/** Boot the bzImage with these; resume=/dev/vdb makes a boot after guest-suspend-disk a resume. */
export const KERNEL_APPEND = 'root=/dev/vda rw console=ttyS0 resume=/dev/vdb quiet';

/** Paths inside the guest that the lab relies on (see lab/README.md). */
export const GUEST = {
  counter: '/usr/local/bin/counter.js',
  labDir: '/lab',
  labStateDir: '/var/lib/lab',
  startUnit: 'lab-start.service',
  dataDiskLabel: 'labdata',
} as const;

/** Files of the finished image, relative to its cache folder. */
export const IMAGE_FILES = {
  kernel: 'vmlinuz',
  initrd: 'initrd.img',
  root: 'root.raw',
  swap: 'swap.raw',
  manifest: 'manifest.json',
} as const;
