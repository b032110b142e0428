/**
 * What each package installs, declared once: the .deb builder stages exactly this tree, and install.sh
 * installs the same staged tree, so a source install and a package install hold the same files.
 */
import { readFileSync } from 'fs';
import * as path from 'path';

export type PackageName = 'proxmox-sleep' | 'proxmox-sleep-agent';

export interface FileEntry {
  /** Absolute path on the target, e.g. /usr/bin/proxmox-sleep. */
  dest: string;
  mode: number;
  /** A repository file, or generated content (the bundle, the copyright file). */
  from: { file: string } | { generated: 'program' | 'copyright' | 'changelog' };
  /** Compressed with gzip -9n (manual pages, the changelog). */
  gzip?: boolean;
  /** dpkg never overwrites a changed one; install.sh never touches an existing one. */
  conffile?: boolean;
}

export interface PackageSpec {
  name: PackageName;
  bundle: 'host' | 'agent';
  program: string;
  /** installer/deb/<dir>/ holds its maintainer scripts. */
  scriptsDir: string;
  control: {
    section: string;
    depends: string;
    recommends?: string;
    conflicts?: string;
    summary: string;
    description: string[];
  };
  files: FileEntry[];
}

const doc = (pkg: string, name: string, from = `docs/${name}`): FileEntry => ({
  dest: `/usr/share/doc/${pkg}/${name}`,
  mode: 0o644,
  from: { file: from },
});

const common = (pkg: PackageName): FileEntry[] => [
  { dest: `/usr/share/doc/${pkg}/copyright`, mode: 0o644, from: { generated: 'copyright' } },
  { dest: `/usr/share/doc/${pkg}/changelog.gz`, mode: 0o644, from: { generated: 'changelog' }, gzip: true },
];

export const HOST: PackageSpec = {
  name: 'proxmox-sleep',
  bundle: 'host',
  program: '/usr/bin/proxmox-sleep',
  scriptsDir: 'installer/deb/host',
  control: {
    section: 'admin',
    depends: 'nodejs (>= 18)',
    recommends: 'logrotate',
    summary: 'sleep a Proxmox VE host when every guest is idle',
    description: [
      'Proxmox Sleep Manager puts a home Proxmox VE host to sleep when nobody uses',
      'any of its guests, and brings everything back as it was when the host wakes.',
      'An agent inside each guest (the proxmox-sleep-agent package on Linux',
      'servers, a tray app on desktops) reports whether that guest is idle and why;',
      'the host sleeps only when every monitored guest and the host itself are',
      'idle. It hibernates or shuts the guests down first (native sleep with a',
      'passed-through GPU is not safe), suspends, and starts every guest it stopped',
      'again after the wake.',
      '.',
      'This package holds the host tool (proxmox-sleep), its daemon and sleep hook',
      'units, an optional cron job and logrotate rules. Configure the guests in',
      '/etc/proxmox-sleep.conf.',
    ],
  },
  files: [
    { dest: '/usr/bin/proxmox-sleep', mode: 0o755, from: { generated: 'program' } },
    {
      dest: '/lib/systemd/system/proxmox-sleep.service',
      mode: 0o644,
      from: { file: 'installer/host/proxmox-sleep.service' },
    },
    {
      dest: '/lib/systemd/system/proxmox-sleep-hook.service',
      mode: 0o644,
      from: { file: 'installer/host/proxmox-sleep-hook.service' },
    },
    {
      dest: '/etc/proxmox-sleep.conf',
      mode: 0o644,
      from: { file: 'installer/host/proxmox-sleep.conf' },
      conffile: true,
    },
    {
      dest: '/etc/cron.d/proxmox-sleep',
      mode: 0o644,
      from: { file: 'installer/host/proxmox-sleep.cron' },
      conffile: true,
    },
    {
      dest: '/etc/logrotate.d/proxmox-sleep',
      mode: 0o644,
      from: { file: 'installer/host/proxmox-sleep.logrotate' },
      conffile: true,
    },
    {
      dest: '/usr/share/man/man8/proxmox-sleep.8.gz',
      mode: 0o644,
      from: { file: 'installer/host/man/proxmox-sleep.8' },
      gzip: true,
    },
    {
      dest: '/usr/share/man/man5/proxmox-sleep.conf.5.gz',
      mode: 0o644,
      from: { file: 'installer/host/man/proxmox-sleep.conf.5' },
      gzip: true,
    },
    {
      dest: '/usr/share/doc/proxmox-sleep/examples/proxmox-sleep.conf.example',
      mode: 0o644,
      from: { file: 'installer/proxmox-sleep.conf.example' },
    },
    // Every document install.md links to (a test keeps the two lists together).
    ...[
      'install.md',
      'upgrading.md',
      'troubleshooting.md',
      'host.md',
      'sleep-wake.md',
      'config.md',
      'tray.md',
      'agent.md',
    ].map((name) => doc('proxmox-sleep', name)),
    {
      dest: '/usr/share/lintian/overrides/proxmox-sleep',
      mode: 0o644,
      from: { file: 'installer/deb/host/lintian-overrides' },
    },
    ...common('proxmox-sleep'),
  ],
};

export const AGENT: PackageSpec = {
  name: 'proxmox-sleep-agent',
  bundle: 'agent',
  program: '/usr/bin/proxmox-sleep-agent',
  scriptsDir: 'installer/deb/agent',
  control: {
    section: 'admin',
    depends: 'nodejs (>= 18)',
    // The tray package (electron-builder) writes the same status file; a guest runs one or the other.
    conflicts: 'proxmox-sleep-tray',
    summary: 'guest agent of Proxmox Sleep Manager (headless)',
    description: [
      'Runs inside a Linux guest of a Proxmox VE host that uses Proxmox Sleep',
      'Manager. Every few seconds it decides whether the guest is idle (input, GPU,',
      'CPU, network, logins, sleep inhibitors, configured processes and custom',
      'checks) and writes the answer as a JSON status file, which the host reads',
      'through the QEMU guest agent, virtio-fs or SSH. It also carries out the',
      'commands the host sends before it sleeps: hibernate, shutdown and a warning',
      'to logged-in users.',
      '.',
      'This is the headless daemon for servers; desktops use the tray app instead.',
    ],
  },
  files: [
    { dest: '/usr/bin/proxmox-sleep-agent', mode: 0o755, from: { generated: 'program' } },
    {
      dest: '/lib/systemd/system/proxmox-sleep-agent.service',
      mode: 0o644,
      from: { file: 'installer/agent/proxmox-sleep-agent.service' },
    },
    {
      dest: '/usr/lib/tmpfiles.d/proxmox-sleep-agent.conf',
      mode: 0o644,
      from: { file: 'installer/agent/proxmox-sleep-agent.tmpfiles' },
    },
    {
      dest: '/etc/proxmox-sleep/agent.json',
      mode: 0o644,
      from: { file: 'installer/agent/agent.json' },
      conffile: true,
    },
    {
      dest: '/usr/share/man/man8/proxmox-sleep-agent.8.gz',
      mode: 0o644,
      from: { file: 'installer/agent/man/proxmox-sleep-agent.8' },
      gzip: true,
    },
    doc('proxmox-sleep-agent', 'agent.md'),
    doc('proxmox-sleep-agent', 'protocol.md'),
    ...common('proxmox-sleep-agent'),
  ],
};

export const PACKAGES: Record<'host' | 'agent', PackageSpec> = { host: HOST, agent: AGENT };

export function packageVersion(root: string): string {
  return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
}
