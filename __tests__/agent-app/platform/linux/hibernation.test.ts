import { readFileSync } from 'fs';
import {
  LOCKDOWN_FIX,
  assessKernel,
  assessLinuxHibernation,
  assessNvidia,
  assessResume,
  assessSwap,
  type LinuxHibernationFacts,
  type SwapFact,
} from '../../../../agent-app/platform/linux/hibernation-assess';
import { createLinuxReadinessProbe } from '../../../../agent-app/platform/linux/hibernation-facts';
import {
  nvidiaModulesIn,
  parseChoice,
  parseCmdline,
  parseInitramfsResume,
  parseMeminfo,
  parseProcSwaps,
  parseSystemdVersion,
} from '../../../../agent-app/platform/linux/hibernation-parse';
import { findOnPath } from '../../../../agent-app/platform/shared/commands';
import { createRunner } from '../../../../common/shell';
import { agentFixture } from '../../../helpers/agent-fixtures';

const fixture = (name: string) => agentFixture('linux-hibernation', name);
const GiB = 1024 * 1024;

describe('parsers (captured files)', () => {
  it('/proc/meminfo', () => {
    const m = parseMeminfo(fixture('firecracker-meminfo.txt'));
    expect(m.get('MemTotal')).toBe(24683792);
    expect(m.get('Active(anon)')).toBe(164);
    expect(m.get('Inactive(anon)')).toBe(1133236);
  });

  it('/proc/swaps: none, and zram only', () => {
    expect(parseProcSwaps(fixture('firecracker-swaps.txt'))).toEqual([]);
    expect(parseProcSwaps(fixture('zram-only-swaps.txt'))).toEqual([
      { name: '/dev/zram0', type: 'partition', sizeKiB: 510472, usedKiB: 0, priority: 5 },
      { name: '/dev/zram1', type: 'partition', sizeKiB: 510472, usedKiB: 0, priority: 5 },
    ]);
  });

  it("/proc/cmdline stops at `--` (init's own arguments)", () => {
    const words = parseCmdline(fixture('firecracker-cmdline.txt'));
    expect(words.get('console')).toBe('ttyS0');
    expect(words.has('quiet')).toBe(true);
    expect(words.has('--firecracker-init')).toBe(false);
    expect(parseCmdline('root=/dev/vda rw resume=/dev/vdb resume=UUID=abc').get('resume')).toBe('UUID=abc');
  });

  it('sysfs choices, RESUME=, systemd --version, initramfs listings', () => {
    expect(parseChoice('[none] integrity confidentiality')).toEqual({
      choices: ['none', 'integrity', 'confidentiality'],
      selected: 'none',
    });
    expect(parseChoice('[disabled]').selected).toBe('disabled');
    expect(parseInitramfsResume('# from the installer\nRESUME=UUID=1f0c-77\n')).toBe('UUID=1f0c-77');
    expect(parseInitramfsResume('RESUME=none\n')).toBe('none');
    expect(parseSystemdVersion('systemd 252 (252.39-1~deb12u1)\n+PAM +AUDIT')).toBe(252);
    expect(
      nvidiaModulesIn(
        'usr/lib/modules/6.1.0-18-amd64/updates/dkms/nvidia-drm.ko\nusr/lib/modules/6.1.0-18-amd64/kernel/drivers/gpu/drm/drm.ko\n-rw-r--r--   1 root root  62 usr/lib/modules/6.8.0/kernel/nvidia.ko.zst\n',
      ),
    ).toEqual([
      'usr/lib/modules/6.1.0-18-amd64/updates/dkms/nvidia-drm.ko',
      'usr/lib/modules/6.8.0/kernel/nvidia.ko.zst',
    ]);
  });
});

const swap = (over: Partial<SwapFact> = {}): SwapFact => ({
  name: '/dev/vdb',
  type: 'partition',
  sizeKiB: 2 * GiB,
  usedKiB: 0,
  priority: -2,
  device: 0xfe10,
  uuid: '9c1b-swap',
  ...over,
});

/** A Debian guest that can hibernate: 2 GiB swap for 1 GiB of RAM, resume= on the command line. */
const ready = (over: Partial<LinuxHibernationFacts> = {}): LinuxHibernationFacts => ({
  powerState: 'freeze mem disk\n',
  powerDisk: '[platform] shutdown reboot suspend test_resume\n',
  lockdown: '[none] integrity confidentiality\n',
  secureBoot: false,
  cmdline: 'root=/dev/vda rw resume=/dev/vdb quiet',
  swaps: [swap()],
  memTotalKiB: 1 * GiB,
  anonKiB: 200 * 1024,
  resume: { spec: '/dev/vdb', source: 'cmdline', device: 0xfe10 },
  systemdVersion: null,
  efi: true,
  initramfsTool: 'update-initramfs',
  nvidia: { loaded: false },
  ...over,
});

describe('assessment', () => {
  it('a ready guest: every check ok', () => {
    expect(assessLinuxHibernation(ready()).map((c) => [c.name, c.verdict])).toEqual([
      ['kernel', 'ok'],
      ['swap', 'ok'],
      ['resume', 'ok'],
      ['nvidia-initramfs', 'ok'],
    ]);
    expect(assessKernel(ready()).evidence).toBe(
      '/sys/power/state: "freeze mem disk"; mode platform; lockdown none, Secure Boot off',
    );
    expect(assessResume(ready()).evidence).toBe('resume=/dev/vdb → /dev/vdb (active swap)');
  });

  it('kernel lockdown under Secure Boot removes disk: the problem names lockdown and its fix', () => {
    const check = assessKernel(
      ready({
        powerState: 'freeze mem',
        powerDisk: '[disabled]',
        lockdown: 'none [integrity] confidentiality',
        secureBoot: true,
      }),
    );
    expect(check).toEqual({
      name: 'kernel',
      verdict: 'problem',
      evidence:
        '/sys/power/state: "freeze mem" (no disk): kernel lockdown "integrity", Secure Boot on disables hibernation',
      fix: LOCKDOWN_FIX,
    });
  });

  it('nohibernate, and a kernel without hibernation', () => {
    expect(assessKernel(ready({ powerState: 'freeze mem', cmdline: 'quiet nohibernate' })).evidence).toMatch(
      /nohibernate/,
    );
    expect(assessKernel(ready({ powerState: '', lockdown: null })).fix).toMatch(/CONFIG_HIBERNATION/);
    expect(assessKernel(ready({ powerState: null })).verdict).toBe('problem');
  });

  it('swap: zram only, too little free for the memory in use, smaller than RAM', () => {
    const zram = swap({ name: '/dev/zram0', priority: 100, device: 0xfd00 });
    expect(assessSwap(ready({ swaps: [zram], resume: null }))).toMatchObject({
      verdict: 'problem',
      evidence: 'no swap (only zram, which lives in RAM and cannot hold its image)',
      fix: expect.stringMatching(/^fallocate -l 1G \/swapfile/),
    });
    expect(assessSwap(ready({ swaps: [swap({ usedKiB: 1.9 * GiB })], anonKiB: 0.5 * GiB }))).toMatchObject({
      verdict: 'problem',
      evidence:
        'partition /dev/vdb, 2.0 GiB: 0.1 GiB free for 0.5 GiB of memory in use (systemd refuses: not enough swap space)',
    });
    expect(assessSwap(ready({ memTotalKiB: 4 * GiB })).verdict).toBe('warning');
    // zram at a higher priority is skipped: the image goes to the disk swap
    expect(assessSwap(ready({ swaps: [zram, swap()] })).verdict).toBe('ok');
  });

  it('resume: missing, pointing elsewhere, via initramfs-tools, systemd 255 on EFI', () => {
    const none = ready({ resume: null, cmdline: 'quiet' });
    expect(assessResume(none)).toMatchObject({
      verdict: 'problem',
      fix: 'echo RESUME=UUID=9c1b-swap > /etc/initramfs-tools/conf.d/resume && update-initramfs -u -k all',
    });
    expect(assessResume({ ...none, initramfsTool: 'dracut' }).fix).toBe(
      'grubby --update-kernel=ALL --args=resume=UUID=9c1b-swap && dracut -f --regenerate-all',
    );
    expect(assessResume({ ...none, systemdVersion: 256 })).toMatchObject({ verdict: 'ok' });
    expect(assessResume({ ...none, systemdVersion: 256, efi: false }).verdict).toBe('problem');
    expect(
      assessResume(ready({ resume: { spec: 'UUID=gone', source: 'cmdline', device: null } })).evidence,
    ).toBe('resume=UUID=gone names no device on this guest');
    expect(
      assessResume(ready({ resume: { spec: '/dev/vda', source: 'cmdline', device: 0xfe00 } })).evidence,
    ).toBe('resume=/dev/vda is not an active swap area (/dev/vdb)');
    expect(
      assessResume(ready({ resume: { spec: 'UUID=9c1b-swap', source: 'initramfs-tools', device: 0xfe10 } })),
    ).toMatchObject({ verdict: 'ok' });
  });

  it('resume into a swap file needs resume_offset=; on btrfs it cannot be compared', () => {
    const file = swap({ name: '/swapfile', type: 'file', device: 0xfe01, uuid: 'root-fs' });
    const facts = ready({
      swaps: [file],
      resume: { spec: 'UUID=root-fs', source: 'cmdline', device: 0xfe01 },
    });
    expect(assessResume(facts)).toMatchObject({
      verdict: 'problem',
      evidence: 'resume=UUID=root-fs holds the swap file /swapfile, but resume_offset= is missing',
      fix: expect.stringContaining('filefrag -v /swapfile'),
    });
    expect(assessResume({ ...facts, cmdline: 'resume=UUID=root-fs resume_offset=34816' }).verdict).toBe('ok');
    const btrfs = { ...facts, swaps: [swap({ name: '/swap/swapfile', type: 'file', device: 0x2a })] };
    expect(assessResume({ ...btrfs, cmdline: 'resume=UUID=root-fs resume_offset=533760' }).verdict).toBe(
      'warning',
    );
  });

  it('NVIDIA modules in the initramfs are a warning with the fix for the initramfs tool', () => {
    expect(assessNvidia(ready({ nvidia: { loaded: true, initramfs: [] } })).verdict).toBe('ok');
    expect(
      assessNvidia(ready({ nvidia: { loaded: true, initramfs: ['usr/lib/modules/x/nvidia.ko'] } })),
    ).toMatchObject({
      verdict: 'warning',
      fix: expect.stringContaining('update-initramfs -u'),
    });
    expect(assessNvidia(ready({ nvidia: { loaded: true, initramfs: null } })).verdict).toBe('warning');
  });
});

describe('the probe on this machine (real /sys and /proc)', () => {
  it('reports the kernel as this machine shows it, and a missing swap as a problem', async () => {
    const probe = createLinuxReadinessProbe({
      run: createRunner({ timeoutMs: 10_000 }),
      findOnPath: (c) => findOnPath(c),
    });
    const checks = await probe.inspect(new AbortController().signal);
    expect(checks.map((c) => c.name)).toEqual(['kernel', 'swap', 'resume', 'nvidia-initramfs']);
    let state: string | null = null;
    try {
      state = readFileSync('/sys/power/state', 'utf8');
    } catch {
      // no sysfs here
    }
    const canDisk = state !== null && /\bdisk\b/.test(state);
    expect(checks[0].verdict).toBe(canDisk ? 'ok' : 'problem');
    const diskSwap = parseProcSwaps(readFileSync('/proc/swaps', 'utf8')).filter(
      (s) => !s.name.startsWith('/dev/zram'),
    );
    if (diskSwap.length === 0)
      expect(checks[1]).toMatchObject({ verdict: 'problem', evidence: expect.stringMatching(/^no swap/) });
  });
});
