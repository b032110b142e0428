/**
 * Linux hibernation readiness from facts the probe gathered (pure). Four checks:
 *   kernel  — `disk` in /sys/power/state (kernel lockdown under Secure Boot removes it), the mode in /sys/power/disk;
 *   swap    — a swap area outside zram, free space for the memory in use now (systemd refuses otherwise),
 *             and at least the size of RAM (a warning below that);
 *   resume  — where the next boot finds the image: `resume=` on the kernel command line (with
 *             `resume_offset=` for a swap file), initramfs-tools' RESUME=, or systemd ≥ 255's EFI variable;
 *   nvidia-initramfs — NVIDIA modules inside the initramfs, which make the resume fail (a warning).
 */
import type { DoctorCheck } from '../../../protocol/doctor';
import { check } from '../../core/readiness';
import { isZram, parseChoice, parseCmdline, type SwapArea } from './hibernation-parse';

export interface SwapFact extends SwapArea {
  /** The block device the area lives on (st_rdev of a partition, st_dev of a file); null when unknown. */
  device: number | null;
  /** UUID of that block device (for the fix), when /dev/disk/by-uuid names it. */
  uuid: string | null;
}

export interface ResumeFact {
  spec: string;
  source: 'cmdline' | 'initramfs-tools';
  /** The device the spec names here; null when it names none. */
  device: number | null;
}

export interface LinuxHibernationFacts {
  powerState: string | null;
  powerDisk: string | null;
  lockdown: string | null;
  secureBoot: boolean | null;
  cmdline: string;
  swaps: SwapFact[];
  memTotalKiB: number | null;
  /** Active(anon) + Inactive(anon): what an image must hold now. */
  anonKiB: number | null;
  resume: ResumeFact | null;
  /** Only asked for when nothing else names the resume device. */
  systemdVersion: number | null;
  efi: boolean;
  initramfsTool: 'update-initramfs' | 'dracut' | 'mkinitcpio' | null;
  /** The NVIDIA modules in the initramfs, listed only when the driver is loaded (null: no lister worked). */
  nvidia: { loaded: false } | { loaded: true; initramfs: string[] | null };
}

const GiB = (kib: number) => `${(kib / 1024 / 1024).toFixed(1)} GiB`;
/** Devices with major 0 are anonymous (btrfs subvolumes): a file there says nothing about its disk. */
const anonymous = (dev: number) => Math.floor(dev / 256) % 0x1000 === 0;

export const LOCKDOWN_FIX =
  'mokutil --disable-validation, then confirm it in MokManager at the next boot (or turn Secure Boot off in the VM firmware: Device Manager > Secure Boot Configuration)';

export function assessKernel(f: LinuxHibernationFacts): DoctorCheck {
  const lockdown = f.lockdown === null ? null : parseChoice(f.lockdown).selected;
  const locked = lockdown !== null && lockdown !== 'none';
  const secureBoot = f.secureBoot === null ? '' : f.secureBoot ? ', Secure Boot on' : ', Secure Boot off';
  if (f.powerState === null)
    return check(
      'kernel',
      'problem',
      '/sys/power/state is missing: this kernel has no power management',
      "the distribution's standard kernel",
    );
  const states = f.powerState.trim();
  if (!states.split(/\s+/).includes('disk')) {
    const evidence = `/sys/power/state: "${states}" (no disk)`;
    if (locked)
      return check(
        'kernel',
        'problem',
        `${evidence}: kernel lockdown "${lockdown}"${secureBoot} disables hibernation`,
        LOCKDOWN_FIX,
      );
    const words = parseCmdline(f.cmdline);
    if (words.has('nohibernate') || words.get('hibernate') === 'no')
      return check(
        'kernel',
        'problem',
        `${evidence}: the kernel command line says nohibernate`,
        'remove nohibernate from the kernel command line (GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub, then update-grub)',
      );
    return check(
      'kernel',
      'problem',
      `${evidence}: this kernel cannot hibernate`,
      "the distribution's standard kernel (built with CONFIG_HIBERNATION)",
    );
  }
  const mode = f.powerDisk === null ? '' : `; mode ${parseChoice(f.powerDisk).selected ?? '?'}`;
  return check(
    'kernel',
    'ok',
    `/sys/power/state: "${states}"${mode}; lockdown ${lockdown ?? 'absent'}${secureBoot}`,
  );
}

/** The area the image goes to: the one resume names, else the highest priority (then largest) outside zram. */
export function imageSwap(f: LinuxHibernationFacts): SwapFact | null {
  const disk = f.swaps.filter((s) => !isZram(s));
  const named = f.resume?.device == null ? undefined : disk.find((s) => s.device === f.resume?.device);
  if (named) return named;
  return [...disk].sort((a, b) => b.priority - a.priority || b.sizeKiB - a.sizeKiB)[0] ?? null;
}

export function swapFileFix(memKiB: number | null): string {
  const size = memKiB === null ? '<RAM size>G' : `${Math.ceil(memKiB / 1024 / 1024)}G`;
  return `fallocate -l ${size} /swapfile && chmod 600 /swapfile && mkswap /swapfile && swapon /swapfile && echo '/swapfile none swap sw 0 0' >> /etc/fstab (ext4; see docs/install.md for btrfs)`;
}

export function assessSwap(f: LinuxHibernationFacts): DoctorCheck {
  const swap = imageSwap(f);
  if (!swap) {
    const zram = f.swaps.some(isZram) ? ' (only zram, which lives in RAM and cannot hold its image)' : '';
    return check('swap', 'problem', `no swap${zram}`, swapFileFix(f.memTotalKiB));
  }
  const where = `${swap.type} ${swap.name}, ${GiB(swap.sizeKiB)}`;
  const free = swap.sizeKiB - swap.usedKiB;
  if (f.anonKiB !== null && free * 0.98 < f.anonKiB)
    return check(
      'swap',
      'problem',
      `${where}: ${GiB(free)} free for ${GiB(f.anonKiB)} of memory in use (systemd refuses: not enough swap space)`,
      swapFileFix(f.memTotalKiB),
    );
  if (f.memTotalKiB !== null && swap.sizeKiB < f.memTotalKiB)
    return check(
      'swap',
      'warning',
      `${where} is smaller than RAM (${GiB(f.memTotalKiB)}): hibernation fails once more memory is in use`,
      swapFileFix(f.memTotalKiB),
    );
  return check('swap', 'ok', `${where}${f.memTotalKiB === null ? '' : ` ≥ RAM ${GiB(f.memTotalKiB)}`}`);
}

export function resumeFix(f: LinuxHibernationFacts, swap: SwapFact | null): string {
  const target = swap?.uuid ? `UUID=${swap.uuid}` : swap ? swap.name : '<the swap device>';
  if (swap?.type === 'file')
    return `add resume=${target} resume_offset=<first physical_offset of: filefrag -v ${swap.name}> to GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub, then update-grub and reboot`;
  if (f.initramfsTool === 'update-initramfs')
    return `echo RESUME=${target} > /etc/initramfs-tools/conf.d/resume && update-initramfs -u -k all`;
  if (f.initramfsTool === 'dracut')
    return `grubby --update-kernel=ALL --args=resume=${target} && dracut -f --regenerate-all`;
  return `add resume=${target} to the kernel command line (GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub, then update-grub), and rebuild the initramfs`;
}

export function assessResume(f: LinuxHibernationFacts): DoctorCheck {
  const swap = imageSwap(f);
  const fix = resumeFix(f, swap);
  const r = f.resume;
  if (r === null || r.spec === 'none') {
    if (f.systemdVersion !== null && f.systemdVersion >= 255 && f.efi)
      return check(
        'resume',
        'ok',
        `no resume= needed: systemd ${f.systemdVersion} finds the image through the HibernateLocation EFI variable`,
      );
    return check(
      'resume',
      'problem',
      'no resume= on the kernel command line or in the initramfs: the next boot starts afresh and the image is lost',
      fix,
    );
  }
  const said = r.source === 'cmdline' ? `resume=${r.spec}` : `initramfs-tools RESUME=${r.spec}`;
  if (r.device === null) return check('resume', 'problem', `${said} names no device on this guest`, fix);
  const match = f.swaps.find((s) => s.device === r.device && !isZram(s));
  if (match && match.type !== 'file') {
    const rebuilt =
      r.source === 'initramfs-tools' ? ' (as built into the initramfs by update-initramfs -u)' : '';
    return check('resume', 'ok', `${said} → ${match.name} (active swap)${rebuilt}`);
  }
  // A swap file: the device is the filesystem's; on btrfs (an anonymous device) it cannot be compared.
  const file = match ?? f.swaps.find((s) => s.type === 'file' && s.device !== null && anonymous(s.device));
  if (file) {
    const offset = parseCmdline(f.cmdline).get('resume_offset');
    if (offset === undefined)
      return check(
        'resume',
        'problem',
        `${said} holds the swap file ${file.name}, but resume_offset= is missing`,
        fix,
      );
    const unsure = match ? '' : ' (btrfs: the device cannot be compared)';
    return check(
      'resume',
      match ? 'ok' : 'warning',
      `${said} resume_offset=${offset} for the swap file ${file.name}${unsure}; the offset is not verified`,
    );
  }
  return check(
    'resume',
    'problem',
    `${said} is not an active swap area (${f.swaps.map((s) => s.name).join(', ') || 'no swap'})`,
    fix,
  );
}

export function assessNvidia(f: LinuxHibernationFacts): DoctorCheck {
  if (!f.nvidia.loaded) return check('nvidia-initramfs', 'ok', 'the NVIDIA driver is not loaded');
  const modules = f.nvidia.initramfs;
  if (modules === null)
    return check(
      'nvidia-initramfs',
      'warning',
      'the NVIDIA driver is loaded, and no lsinitramfs, lsinitrd or lsinitcpio could list the initramfs',
      'lsinitramfs /boot/initrd.img-$(uname -r) | grep nvidia must print nothing',
    );
  if (modules.length === 0)
    return check('nvidia-initramfs', 'ok', 'the NVIDIA driver is loaded, and not from the initramfs');
  const fix =
    f.initramfsTool === 'dracut'
      ? 'echo \'omit_drivers+=" nvidia nvidia_drm nvidia_modeset nvidia_uvm "\' > /etc/dracut.conf.d/no-nvidia.conf && dracut -f --regenerate-all'
      : 'remove the nvidia modules from /etc/initramfs-tools/modules (and any nvidia hook), then update-initramfs -u -k all';
  return check(
    'nvidia-initramfs',
    'warning',
    `the initramfs holds ${modules.slice(0, 3).join(', ')}: the driver starts before the resume, which then fails`,
    fix,
  );
}

export function assessLinuxHibernation(f: LinuxHibernationFacts): DoctorCheck[] {
  return [assessKernel(f), assessSwap(f), assessResume(f), assessNvidia(f)];
}
