/**
 * Gathers what the Linux hibernation check needs: kernel files under /sys and /proc, the devices that
 * resume= and the swap areas live on (stat of /dev nodes and swap files), systemd's version when nothing
 * names the resume device, and the initramfs listing when the NVIDIA driver is loaded.
 */
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Runner } from '../../../common/shell';
import type { ReadinessProbe } from '../../core/readiness';
import type { PathLookup } from '../shared/commands';
import { assessLinuxHibernation, type LinuxHibernationFacts, type SwapFact } from './hibernation-assess';
import {
  nvidiaLoaded,
  nvidiaModulesIn,
  parseCmdline,
  parseInitramfsResume,
  parseMeminfo,
  parseProcSwaps,
  parseSystemdVersion,
} from './hibernation-parse';

const SECURE_BOOT_VAR = '/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c';
const BY = {
  UUID: 'by-uuid',
  PARTUUID: 'by-partuuid',
  LABEL: 'by-label',
  PARTLABEL: 'by-partlabel',
} as const;

async function read(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return null;
  }
}

async function rdev(file: string): Promise<number | null> {
  try {
    const st = await fs.stat(file);
    return st.isBlockDevice() ? st.rdev : null;
  } catch {
    return null;
  }
}

/** The device a resume spec names: UUID=, PARTUUID=, LABEL=, PARTLABEL=, a /dev path or major:minor. */
export async function resumeDevice(spec: string): Promise<number | null> {
  const tagged = /^(UUID|PARTUUID|LABEL|PARTLABEL)=(.+)$/.exec(spec);
  if (tagged) return rdev(path.join('/dev/disk', BY[tagged[1] as keyof typeof BY], tagged[2]));
  const numbers = /^(\d+):(\d+)$/.exec(spec);
  if (numbers) {
    const [major, minor] = [Number(numbers[1]), Number(numbers[2])];
    return (major % 0x1000) * 256 + (minor % 256) + Math.floor(minor / 256) * 2 ** 20;
  }
  return spec.startsWith('/') ? rdev(spec) : null;
}

async function uuidsByDevice(): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const dir = '/dev/disk/by-uuid';
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    const dev = await rdev(path.join(dir, name));
    if (dev !== null) out.set(dev, name);
  }
  return out;
}

async function swapFacts(text: string | null): Promise<SwapFact[]> {
  const uuids = await uuidsByDevice();
  return Promise.all(
    parseProcSwaps(text ?? '').map(async (area) => {
      let device: number | null = null;
      try {
        const st = await fs.stat(area.name);
        device = st.isBlockDevice() ? st.rdev : st.dev;
      } catch {
        // a swap area that vanished since /proc/swaps was read
      }
      return { ...area, device, uuid: device === null ? null : (uuids.get(device) ?? null) };
    }),
  );
}

async function secureBoot(): Promise<boolean | null> {
  try {
    const bytes = await fs.readFile(SECURE_BOOT_VAR);
    return bytes.length >= 5 ? bytes[4] === 1 : null; // 4 bytes of attributes, then the value
  } catch {
    return null;
  }
}

type Deps = { run: Runner; findOnPath: PathLookup };

async function initramfsTool(findOnPath: PathLookup): Promise<LinuxHibernationFacts['initramfsTool']> {
  for (const tool of ['update-initramfs', 'dracut', 'mkinitcpio'] as const)
    if (await findOnPath(tool)) return tool;
  return null;
}

/** The initramfs of the running kernel, listed by the tool that built it (null when none can). */
async function initramfsListing(deps: Deps, signal: AbortSignal): Promise<string | null> {
  const release = os.release();
  const listers: [string, string[]][] = [
    ['lsinitramfs', [`/boot/initrd.img-${release}`]],
    ['lsinitrd', []],
    ['lsinitcpio', ['/boot/initramfs-linux.img']],
  ];
  for (const [tool, args] of listers) {
    const found = await deps.findOnPath(tool);
    if (!found) continue;
    const result = await deps.run(found, args, {
      signal,
      timeoutMs: 60_000,
      maxOutputBytes: 32 * 1024 * 1024,
    });
    if (result.exitCode === 0) return result.stdout;
  }
  return null;
}

/** `listInitramfs: false` skips the slow part, the NVIDIA listing, which can only warn. */
export async function gatherLinuxHibernationFacts(
  deps: Deps,
  signal: AbortSignal,
  listInitramfs = true,
): Promise<LinuxHibernationFacts> {
  const [powerState, powerDisk, lockdown, cmdline, swapsText, meminfoText, modules, initramfsConf] =
    await Promise.all(
      [
        '/sys/power/state',
        '/sys/power/disk',
        '/sys/kernel/security/lockdown',
        '/proc/cmdline',
        '/proc/swaps',
        '/proc/meminfo',
        '/proc/modules',
        '/etc/initramfs-tools/conf.d/resume',
      ].map(read),
    );
  const meminfo = parseMeminfo(meminfoText ?? '');
  const fromCmdline = parseCmdline(cmdline ?? '').get('resume');
  const fromInitramfs =
    fromCmdline === undefined && initramfsConf !== null ? parseInitramfsResume(initramfsConf) : null;
  const spec = fromCmdline ?? fromInitramfs;
  const resume =
    spec === null || spec === undefined
      ? null
      : {
          spec,
          source: fromCmdline !== undefined ? ('cmdline' as const) : ('initramfs-tools' as const),
          device: await resumeDevice(spec),
        };
  let systemdVersion: number | null = null;
  if (resume === null || resume.spec === 'none') {
    const systemctl = await deps.findOnPath('systemctl');
    if (systemctl)
      systemdVersion = parseSystemdVersion(
        (await deps.run(systemctl, ['--version'], { signal, timeoutMs: 10_000 })).stdout,
      );
  }
  const anon = ['Active(anon)', 'Inactive(anon)'].map((k) => meminfo.get(k));
  return {
    powerState,
    powerDisk,
    lockdown,
    secureBoot: await secureBoot(),
    cmdline: cmdline ?? '',
    swaps: await swapFacts(swapsText),
    memTotalKiB: meminfo.get('MemTotal') ?? null,
    anonKiB: anon.every((v) => v !== undefined) ? (anon[0] as number) + (anon[1] as number) : null,
    resume,
    systemdVersion,
    efi: await fs.stat('/sys/firmware/efi').then(
      () => true,
      () => false,
    ),
    initramfsTool: await initramfsTool(deps.findOnPath),
    nvidia: nvidiaLoaded(modules ?? '')
      ? !listInitramfs
        ? { loaded: true, initramfs: null }
        : {
            loaded: true,
            initramfs: await initramfsListing(deps, signal).then((l) =>
              l === null ? null : nvidiaModulesIn(l),
            ),
          }
      : { loaded: false },
  };
}

export function createLinuxReadinessProbe(deps: Deps): ReadinessProbe {
  return {
    async inspect(signal, options = {}) {
      return assessLinuxHibernation(await gatherLinuxHibernationFacts(deps, signal, !options.refusalsOnly));
    },
  };
}
