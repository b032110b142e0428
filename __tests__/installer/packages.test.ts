/**
 * The .deb packages for real: built with dpkg-deb, checked by lintian, their programs run on Node 18, the
 * host package installed on this machine with `dpkg -i` (fresh, configured, upgraded, with a 1.x
 * configuration and 1.x units, removed, purged) and the agent package installed into a separate dpkg root.
 * One file because dpkg holds a lock and jest runs files in parallel. Whatever happens, afterAll purges the
 * host package and puts back what the machine had at the paths the package touches.
 */
import { spawnSync } from 'child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { $ } from 'zx';
import { parseStatus } from '../../protocol';
import { buildDeb, type BuiltPackage } from '../../scripts/package/deb';
import { AGENT, HOST, packageVersion } from '../../scripts/package/layout';
import { changelogVersion } from '../../scripts/package/stage';
import { NODE18 } from '../helpers/node18';

jest.setTimeout(240_000);

const root = path.join(__dirname, '..', '..');
const version = packageVersion(root);
const run = $({ nothrow: true, quiet: true, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });

const CONFIG = '/etc/proxmox-sleep.conf';
const LOGS = ['/var/log/proxmox-idle-monitor.log', '/var/log/proxmox-sleep-manager.log'];
const STATE_DIR = '/run/proxmox-sleep';
const WANTS = {
  daemon: '/etc/systemd/system/multi-user.target.wants/proxmox-sleep.service',
  hook: '/etc/systemd/system/sleep.target.wants/proxmox-sleep-hook.service',
  monitor1: '/etc/systemd/system/multi-user.target.wants/proxmox-idle-monitor.service',
  manager1: '/etc/systemd/system/sleep.target.wants/proxmox-sleep-manager.service',
};
const RELEASE1_UNITS = [
  '/lib/systemd/system/proxmox-idle-monitor.service',
  '/lib/systemd/system/proxmox-sleep-manager.service',
];

let out: string;
let host: BuiltPackage;
let agent: BuiltPackage;
/** What was at the paths the host package touches before this file ran, put back afterwards. */
const saved = new Map<string, { data: Buffer; mode: number } | null>();
let savedState: string | null = null;

const exists = (p: string) => {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
};
const isLink = (p: string) => exists(p) && lstatSync(p).isSymbolicLink();

async function installed(name: string): Promise<boolean> {
  const r = await run`dpkg-query -W -f=${'${db:Status-Status}'} ${name}`;
  return r.exitCode === 0 && r.stdout.trim() !== 'not-installed';
}

async function dpkg(...args: string[]) {
  const r = await run`dpkg ${args} </dev/null`;
  return { code: r.exitCode, output: r.stdout + r.stderr };
}

beforeAll(async () => {
  if (await installed('proxmox-sleep'))
    throw new Error('proxmox-sleep is installed on this machine: this test would remove it; refusing');
  for (const p of [CONFIG, ...LOGS, `${LOGS[0]}.1`]) {
    saved.set(p, exists(p) ? { data: readFileSync(p), mode: statSync(p).mode & 0o7777 } : null);
  }
  if (exists(STATE_DIR)) {
    savedState = mkdtempSync(path.join(tmpdir(), 'pkg-state-'));
    await run`cp -a ${STATE_DIR}/. ${savedState}/`;
  }
  out = mkdtempSync(path.join(tmpdir(), 'pkg-build-'));
  host = await buildDeb(root, HOST, out);
  agent = await buildDeb(root, AGENT, out);
});

afterAll(async () => {
  if (await installed('proxmox-sleep')) await dpkg('--purge', 'proxmox-sleep');
  for (const unit of RELEASE1_UNITS) rmSync(unit, { force: true });
  for (const link of [WANTS.monitor1, WANTS.manager1]) rmSync(link, { force: true });
  for (const [p, content] of saved) {
    rmSync(p, { force: true });
    if (content) {
      writeFileSync(p, content.data);
      chmodSync(p, content.mode);
    }
  }
  if (savedState) {
    mkdirSync(STATE_DIR, { recursive: true, mode: 0o755 });
    await run`cp -a ${savedState}/. ${STATE_DIR}/`;
    rmSync(savedState, { recursive: true, force: true });
  }
  if (out) rmSync(out, { recursive: true, force: true });
  // Nothing of the package may be left behind.
  expect(await installed('proxmox-sleep')).toBe(false);
  expect(exists('/usr/bin/proxmox-sleep')).toBe(false);
  expect(exists(WANTS.daemon) || exists(WANTS.hook)).toBe(false);
});

describe('build', () => {
  it('names the packages <name>_<version>_all.deb; the changelog has an entry for this version', () => {
    expect(path.basename(host.deb)).toBe(`proxmox-sleep_${version}_all.deb`);
    expect(path.basename(agent.deb)).toBe(`proxmox-sleep-agent_${version}_all.deb`);
    expect(changelogVersion(readFileSync(path.join(root, 'installer/deb/changelog'), 'utf8'))).toBe(version);
  });

  it('lintian: no errors and no warnings (the one override says why in the package)', async () => {
    const r = await run`lintian --fail-on error,warning ${host.deb} ${agent.deb}`;
    expect((r.stdout + r.stderr).split('\n').filter((l) => /^[EW]: /.test(l))).toEqual([]);
    expect(r.exitCode).toBe(0);
    const overridden = await run`lintian --show-overrides ${host.deb} ${agent.deb}`;
    expect(overridden.stdout.split('\n').filter((l) => /^O: /.test(l))).toEqual([
      'O: proxmox-sleep: missing-systemd-timer-for-cron-script [etc/cron.d/proxmox-sleep]',
    ]);
  });

  it('control fields: Node 18 or newer, logrotate recommended, the agent conflicts with the tray', async () => {
    const field = async (deb: string, name: string) =>
      (await run`dpkg-deb --field ${deb} ${name}`).stdout.trim();
    expect(await field(host.deb, 'Depends')).toBe('nodejs (>= 18)');
    expect(await field(host.deb, 'Recommends')).toBe('logrotate');
    expect(await field(host.deb, 'Architecture')).toBe('all');
    expect(await field(host.deb, 'Version')).toBe(version);
    expect(await field(agent.deb, 'Depends')).toBe('nodejs (>= 18)');
    expect(await field(agent.deb, 'Conflicts')).toBe('proxmox-sleep-tray');
    for (const deb of [host.deb, agent.deb]) {
      const description = (await field(deb, 'Description')).split('\n');
      for (const line of description) expect(line.length).toBeLessThanOrEqual(80);
    }
  });

  it('the host package: every file root-owned with its mode; the config, cron and logrotate files are conffiles', async () => {
    const listing = (await run`dpkg-deb --contents ${host.deb}`).stdout.trim().split('\n');
    const files = new Map(
      listing
        .map((l) => l.split(/\s+/))
        .filter((f) => !f[0].startsWith('d'))
        .map((f) => [f[5].replace(/^\./, ''), { mode: f[0], owner: f[1] }]),
    );
    expect([...files.keys()].sort()).toEqual(HOST.files.map((f) => f.dest).sort());
    for (const { owner } of files.values()) expect(owner).toBe('root/root');
    expect(files.get('/usr/bin/proxmox-sleep')?.mode).toBe('-rwxr-xr-x');
    expect(files.get('/etc/proxmox-sleep.conf')?.mode).toBe('-rw-r--r--');
    const conffiles = (await run`dpkg-deb --ctrl-tarfile ${host.deb} | tar -xOf - ./conffiles`).stdout;
    expect(conffiles.trim().split('\n')).toEqual([
      '/etc/proxmox-sleep.conf',
      '/etc/cron.d/proxmox-sleep',
      '/etc/logrotate.d/proxmox-sleep',
    ]);
    // The shipped configuration is the generated default with no guest, not the example.
    const conf = (await run`dpkg-deb --fsys-tarfile ${host.deb} | tar -xOf - ./etc/proxmox-sleep.conf`)
      .stdout;
    expect(conf).toBe(readFileSync(path.join(root, 'installer/host/proxmox-sleep.conf'), 'utf8'));
    expect(conf).not.toMatch(/^VM_IDS=/m);
  });

  it('the same sources give the same bytes (SOURCE_DATE_EPOCH from the changelog)', async () => {
    const again = await buildDeb(root, HOST, mkdtempSync(path.join(out, 'again-')));
    expect(readFileSync(again.deb).equals(readFileSync(host.deb))).toBe(true);
  });

  it('the copyright file names every npm package bundled into each program, with its licence', () => {
    const copyright = (pkg: BuiltPackage, name: string) =>
      readFileSync(path.join(pkg.staged.dir, 'usr/share/doc', name, 'copyright'), 'utf8');
    const hostCopyright = copyright(host, 'proxmox-sleep');
    for (const dep of ['commander', 'zod', 'zx'])
      expect(hostCopyright).toContain(`Files: node_modules/${dep}/*`);
    expect(hostCopyright).toMatch(/Files: node_modules\/zx\/\*\nCopyright: .+\nLicense: Apache-2.0\n/);
    expect(copyright(agent, 'proxmox-sleep-agent')).toContain('Files: node_modules/systeminformation/*');
  });
});

describe('the bundled programs on Node 18 (Proxmox VE 8)', () => {
  let tree: string;
  beforeAll(async () => {
    tree = mkdtempSync(path.join(out, 'tree-'));
    for (const deb of [host.deb, agent.deb]) await run`dpkg-deb -x ${deb} ${tree}`;
  });

  it('proxmox-sleep: --version, and validate on the example configuration', async () => {
    const bin = path.join(tree, 'usr/bin/proxmox-sleep');
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/node');
    expect((await run`${NODE18} --version`).stdout).toMatch(/^v18\./);
    expect((await run`${NODE18} ${bin} --version`).stdout.trim()).toBe(version);
    const example = path.join(tree, 'usr/share/doc/proxmox-sleep/examples/proxmox-sleep.conf.example');
    // No qm/pct on PATH: one warning each, not an error.
    const r = spawnSync(NODE18, [bin, 'validate', '--config', example], {
      encoding: 'utf8',
      env: { PATH: '/usr/bin:/bin' },
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('configuration is valid');
    expect(r.status).toBe(0);
  });

  it('proxmox-sleep-agent: --version, and `status` prints a valid protocol-v1 document', async () => {
    const bin = path.join(tree, 'usr/bin/proxmox-sleep-agent');
    expect((await run`${NODE18} ${bin} --version`).stdout.trim()).toBe(version);
    const dir = mkdtempSync(path.join(out, 'agent-'));
    chmodSync(dir, 0o755);
    writeFileSync(path.join(dir, 'agent.json'), '{}');
    const r = await $({
      nothrow: true,
      quiet: true,
      env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${path.join(dir, 'no-bus')}` },
    })`${NODE18} ${bin} --config ${path.join(dir, 'agent.json')} --status-file ${path.join(dir, 'run', 'status.json')} --state-dir ${path.join(dir, 'state')} status`;
    expect(r.exitCode).toBe(0);
    const status = parseStatus(Buffer.from(r.stdout));
    expect(status.agent).toMatchObject({ version, os: 'linux', variant: 'daemon' });
  });
});

describe('the host package installed on this machine', () => {
  it('a fresh install: the hook enabled, the daemon not (no guest), the next steps printed', async () => {
    rmSync(CONFIG, { force: true });
    const r = await dpkg('-i', host.deb);
    expect(r.output).toContain('no guest is configured yet, so the monitor is off');
    expect(r.code).toBe(0);
    expect((await run`proxmox-sleep --version`).stdout.trim()).toBe(version);
    expect(readFileSync(CONFIG, 'utf8')).toBe(
      readFileSync(path.join(root, 'installer/host/proxmox-sleep.conf'), 'utf8'),
    );
    expect(readlinkSync(WANTS.hook)).toBe('/lib/systemd/system/proxmox-sleep-hook.service');
    expect(exists(WANTS.daemon)).toBe(false);
    for (const log of LOGS) expect(statSync(log).mode & 0o777).toBe(0o644);
    expect((await run`man -w proxmox-sleep.conf`).stdout.trim()).toBe(
      '/usr/share/man/man5/proxmox-sleep.conf.5.gz',
    );
  });

  it('the installed proxmox-sleep validates the example configuration', async () => {
    const r =
      await run`proxmox-sleep validate --config /usr/share/doc/proxmox-sleep/examples/proxmox-sleep.conf.example`;
    expect(r.stdout).toContain('configuration is valid');
    expect(r.exitCode).toBe(0);
  });

  it('an upgrade with guests configured keeps the edited config and the state dir, and enables the daemon', async () => {
    const edited = readFileSync(CONFIG, 'utf8').replace(/^#VM_IDS=""$/m, 'VM_IDS="100"');
    writeFileSync(CONFIG, edited);
    mkdirSync(STATE_DIR, { recursive: true, mode: 0o755 });
    writeFileSync(path.join(STATE_DIR, 'sleep-manager.state'), 'vm_100=hibernated\n');
    const r = await dpkg('-i', host.deb);
    expect(r.code).toBe(0);
    expect(r.output).not.toContain('no guest is configured');
    expect(readFileSync(CONFIG, 'utf8')).toBe(edited);
    expect(exists(`${CONFIG}.dpkg-dist`)).toBe(false);
    expect(readFileSync(path.join(STATE_DIR, 'sleep-manager.state'), 'utf8')).toBe('vm_100=hibernated\n');
    expect(readlinkSync(WANTS.daemon)).toBe('/lib/systemd/system/proxmox-sleep.service');
    expect(isLink(WANTS.hook)).toBe(true);
  });

  it('an invalid configuration with guests: the daemon enabled but not started, the problems printed', async () => {
    writeFileSync(CONFIG, 'VM_IDS="100"\nVM_100_MONITOR=maybe\n');
    const r = await dpkg('-i', host.deb);
    expect(r.code).toBe(0);
    expect(r.output).toContain('has errors, so proxmox-sleep.service is enabled but not started');
    expect(r.output).toMatch(/proxmox-sleep\.conf:2: error: VM_100_MONITOR/);
    expect(isLink(WANTS.daemon)).toBe(true);
  });

  it('with the cron job switched on, an upgrade leaves the daemon off', async () => {
    writeFileSync(CONFIG, 'VM_IDS="100"\n');
    const cron = readFileSync('/etc/cron.d/proxmox-sleep', 'utf8');
    writeFileSync('/etc/cron.d/proxmox-sleep', cron.replace(/^#(\* \* \* \* \* root)/m, '$1'));
    const r = await dpkg('--force-confold', '-i', host.deb);
    expect(r.code).toBe(0);
    expect(r.output).toContain('the cron job in /etc/cron.d/proxmox-sleep runs the monitor');
    expect(exists(WANTS.daemon)).toBe(false);
    writeFileSync('/etc/cron.d/proxmox-sleep', cron);
  });

  it('remove: program and units go, config and logs stay, state dir goes; guests owed a resume are named', async () => {
    writeFileSync(path.join(STATE_DIR, 'sleep-manager.state'), 'vm_100=hibernated\nct_200=not_running\n');
    const r = await dpkg('--remove', 'proxmox-sleep');
    expect(r.code).toBe(0);
    expect(r.output).toContain('were not started again');
    expect(r.output).toContain('  vm_100=hibernated');
    expect(r.output).not.toContain('ct_200');
    expect(exists('/usr/bin/proxmox-sleep')).toBe(false);
    expect(exists(STATE_DIR)).toBe(false);
    expect(exists(CONFIG)).toBe(true);
    for (const log of LOGS) expect(exists(log)).toBe(true);
    expect(exists(WANTS.daemon) || exists(WANTS.hook)).toBe(false);
  });

  it('purge: conffiles, logs (rotated ones too) and the units enablement state go', async () => {
    writeFileSync(`${LOGS[0]}.1`, 'old\n');
    const r = await dpkg('--purge', 'proxmox-sleep');
    expect(r.code).toBe(0);
    for (const p of [CONFIG, '/etc/cron.d/proxmox-sleep', '/etc/logrotate.d/proxmox-sleep', ...LOGS])
      expect(exists(p)).toBe(false);
    expect(exists(`${LOGS[0]}.1`)).toBe(false);
    const dsh = '/var/lib/systemd/deb-systemd-helper-enabled';
    expect(readdirSync(dsh).filter((f) => f.includes('proxmox-sleep'))).toEqual([]);
  });

  it('from a manual 1.x install: its config is kept (dpkg --force-confdef), its enabled units are disabled', async () => {
    writeFileSync(CONFIG, 'VMID=100\nIDLE_THRESHOLD_MINUTES=20\nGPU_VENDOR=nvidia\n');
    for (const unit of RELEASE1_UNITS) {
      const wanted = unit.includes('monitor') ? 'multi-user.target' : 'sleep.target';
      writeFileSync(unit, `[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=${wanted}\n`);
    }
    for (const [link, unit] of [
      [WANTS.monitor1, RELEASE1_UNITS[0]],
      [WANTS.manager1, RELEASE1_UNITS[1]],
    ]) {
      mkdirSync(path.dirname(link), { recursive: true });
      await run`ln -sf ${unit} ${link}`;
    }
    const r = await dpkg('--force-confdef', '-i', host.deb);
    expect(r.code).toBe(0);
    expect(r.output).toMatch(/Keeping old config file as default/);
    expect(readFileSync(CONFIG, 'utf8')).toBe('VMID=100\nIDLE_THRESHOLD_MINUTES=20\nGPU_VENDOR=nvidia\n');
    expect(readFileSync(`${CONFIG}.dpkg-dist`, 'utf8')).toBe(
      readFileSync(path.join(root, 'installer/host/proxmox-sleep.conf'), 'utf8'),
    );
    expect(r.output).toContain('disabled proxmox-idle-monitor.service of release 1.x');
    expect(r.output).toContain('disabled proxmox-sleep-manager.service of release 1.x');
    expect(r.output).toContain(`rm -f ${RELEASE1_UNITS.join(' ')}`);
    expect(exists(WANTS.monitor1) || exists(WANTS.manager1)).toBe(false);
    // The legacy VMID= counts as a configured guest.
    expect(isLink(WANTS.daemon)).toBe(true);
    const validate = await run`proxmox-sleep validate --no-guest-check`;
    expect(validate.stdout).toContain('warning: GPU_VENDOR: is ignored since 2.0');
    expect(validate.exitCode).toBe(0);
    expect((await dpkg('--purge', 'proxmox-sleep')).code).toBe(0);
    expect(exists(CONFIG) || exists(`${CONFIG}.dpkg-dist`)).toBe(false);
  });
});

/**
 * A stand-in for the 1.x package (same name, version 1.1.0): the file set of its nfpm.yaml and maintainer
 * scripts doing what anchor-behaviour.md §8 describes (postinst enables the hook, and the monitor when
 * configured; prerm disables both, also on upgrade). Written here; no 1.x code is used.
 */
async function buildRelease1Deb(dir: string): Promise<string> {
  const put = (p: string, text: string, mode = 0o644) => {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), text);
    chmodSync(path.join(dir, p), mode);
  };
  put('usr/local/bin/proxmox-idle-monitor.sh', '#!/bin/bash\necho 1.x monitor\n', 0o755);
  put('usr/local/bin/proxmox-sleep-manager.sh', '#!/bin/bash\necho 1.x manager\n', 0o755);
  put(
    'lib/systemd/system/proxmox-idle-monitor.service',
    '[Service]\nExecStart=/usr/local/bin/proxmox-idle-monitor.sh start\n[Install]\nWantedBy=multi-user.target\n',
  );
  put(
    'lib/systemd/system/proxmox-sleep-manager.service',
    '[Unit]\nBefore=sleep.target\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/usr/local/bin/proxmox-sleep-manager.sh pre-sleep\n[Install]\nWantedBy=sleep.target\n',
  );
  put(
    'etc/logrotate.d/proxmox-sleep',
    '/var/log/proxmox-idle-monitor.log /var/log/proxmox-sleep-manager.log {\n    weekly\n    rotate 4\n    copytruncate\n}\n',
  );
  put('usr/share/doc/proxmox-sleep/examples/proxmox-sleep.conf.example', 'VMID=100\n');
  put(
    'DEBIAN/control',
    'Package: proxmox-sleep\nVersion: 1.1.0\nArchitecture: all\nMaintainer: test <test@example.invalid>\nDescription: stand-in for release 1.1.0\n',
  );
  put(
    'DEBIAN/postinst',
    '#!/bin/bash\nsystemctl enable proxmox-sleep-manager.service\nif grep -Eq "^(VM_IDS|CONTAINER_IDS|VMID)=." /etc/proxmox-sleep.conf 2>/dev/null; then systemctl enable proxmox-idle-monitor.service; fi\nexit 0\n',
    0o755,
  );
  put(
    'DEBIAN/prerm',
    '#!/bin/bash\nsystemctl disable proxmox-idle-monitor.service proxmox-sleep-manager.service 2>/dev/null || true\nexit 0\n',
    0o755,
  );
  const deb = `${dir}.deb`;
  await run`dpkg-deb --root-owner-group --build ${dir} ${deb}`;
  return deb;
}

describe('an upgrade from the 1.x package', () => {
  it('1.x units replaced, the configuration and logrotate file kept (--force-confdef), the state kept', async () => {
    const release1 = await buildRelease1Deb(mkdtempSync(path.join(out, 'release1-')));
    writeFileSync(CONFIG, 'VMID=100\n');
    expect((await dpkg('-i', release1)).code).toBe(0);
    expect(isLink(WANTS.monitor1) && isLink(WANTS.manager1)).toBe(true);
    mkdirSync(STATE_DIR, { recursive: true, mode: 0o755 });
    writeFileSync(path.join(STATE_DIR, 'sleep-manager.state'), 'vm_100=hibernated\n');

    const r = await dpkg('--force-confdef', '-i', host.deb);
    expect(r.code).toBe(0);
    expect(r.output).toContain(`Unpacking proxmox-sleep (${version}) over (1.1.0)`);
    expect(exists(WANTS.monitor1) || exists(WANTS.manager1)).toBe(false);
    for (const gone of [...RELEASE1_UNITS, '/usr/local/bin/proxmox-idle-monitor.sh'])
      expect(exists(gone)).toBe(false);
    expect(readFileSync(CONFIG, 'utf8')).toBe('VMID=100\n');
    expect(readFileSync('/etc/logrotate.d/proxmox-sleep', 'utf8')).toContain('rotate 4');
    expect(exists('/etc/logrotate.d/proxmox-sleep.dpkg-dist')).toBe(true);
    expect(readFileSync(path.join(STATE_DIR, 'sleep-manager.state'), 'utf8')).toBe('vm_100=hibernated\n');
    expect(isLink(WANTS.daemon) && isLink(WANTS.hook)).toBe(true);
    expect((await dpkg('--purge', 'proxmox-sleep')).code).toBe(0);
  });
});

describe('the agent package, installed into a separate dpkg root', () => {
  let target: string;
  beforeAll(() => {
    target = mkdtempSync(path.join(out, 'root-'));
    for (const d of ['info', 'updates', 'triggers'])
      mkdirSync(path.join(target, 'var/lib/dpkg', d), { recursive: true });
    for (const f of ['status', 'available']) writeFileSync(path.join(target, 'var/lib/dpkg', f), '');
  });
  const agentDpkg = (...args: string[]) =>
    dpkg(`--root=${target}`, '--force-script-chrootless', '--force-depends', ...args);

  it('install: the status and state directories, agent.json, the unit enabled', async () => {
    const r = await agentDpkg('-i', agent.deb);
    expect(r.code).toBe(0);
    for (const dir of ['run/proxmox-sleep-agent', 'var/lib/proxmox-sleep-agent']) {
      const stat = statSync(path.join(target, dir));
      expect(stat.isDirectory()).toBe(true);
      expect(stat.mode & 0o777).toBe(0o755);
    }
    expect(readFileSync(path.join(target, 'etc/proxmox-sleep/agent.json'), 'utf8')).toBe(
      readFileSync(path.join(root, 'installer/agent/agent.json'), 'utf8'),
    );
    expect(
      readlinkSync(
        path.join(target, 'etc/systemd/system/multi-user.target.wants/proxmox-sleep-agent.service'),
      ),
    ).toBe('/lib/systemd/system/proxmox-sleep-agent.service');
  });

  it('an upgrade keeps an edited agent.json and the block state', async () => {
    const config = path.join(target, 'etc/proxmox-sleep/agent.json');
    writeFileSync(config, '{"intervalSeconds": 30}\n');
    writeFileSync(path.join(target, 'var/lib/proxmox-sleep-agent/block.json'), '{}\n');
    expect((await agentDpkg('-i', agent.deb)).code).toBe(0);
    expect(readFileSync(config, 'utf8')).toBe('{"intervalSeconds": 30}\n');
    expect(existsSync(path.join(target, 'var/lib/proxmox-sleep-agent/block.json'))).toBe(true);
  });

  it('remove drops the status directory; purge the state, agent.json and the enablement', async () => {
    writeFileSync(path.join(target, 'run/proxmox-sleep-agent/status.json'), '{}');
    expect((await agentDpkg('--remove', 'proxmox-sleep-agent')).code).toBe(0);
    expect(exists(path.join(target, 'run/proxmox-sleep-agent'))).toBe(false);
    expect(exists(path.join(target, 'etc/proxmox-sleep/agent.json'))).toBe(true);
    expect(exists(path.join(target, 'var/lib/proxmox-sleep-agent/block.json'))).toBe(true);
    expect((await agentDpkg('--purge', 'proxmox-sleep-agent')).code).toBe(0);
    for (const p of [
      'etc/proxmox-sleep',
      'var/lib/proxmox-sleep-agent',
      'usr/bin/proxmox-sleep-agent',
      'etc/systemd/system/multi-user.target.wants/proxmox-sleep-agent.service',
      'var/lib/systemd/deb-systemd-helper-enabled/proxmox-sleep-agent.service.dsh-also',
    ])
      expect(exists(path.join(target, p))).toBe(false);
  });
});
