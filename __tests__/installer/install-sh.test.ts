/**
 * install.sh / uninstall.sh (installing from source) run for real into a temporary root (--prefix), so this
 * machine is not changed: the same file set as the .deb, the answers written into a new configuration, an
 * existing configuration never touched, uninstall keeping the configuration unless --purge. shellcheck reads
 * them and the maintainer scripts.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { resolveConfig } from '../../host/config';
import { AGENT, HOST, packageVersion } from '../../scripts/package/layout';

jest.setTimeout(120_000);

const root = path.join(__dirname, '..', '..');
let prefix: string;
beforeEach(() => (prefix = mkdtempSync(path.join(tmpdir(), 'install-sh-'))));
afterEach(() => rmSync(prefix, { recursive: true, force: true }));

function sh(script: 'install.sh' | 'uninstall.sh', args: string[]) {
  const r = spawnSync(path.join(root, script), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const manifest = (dir: string) =>
  readFileSync(path.join(prefix, dir, 'install-manifest'), 'utf8')
    .trim()
    .split('\n');
const at = (p: string) => path.join(prefix, p);

test('the host: the .deb file set, a new configuration with the answers, the program runs', () => {
  const r = sh('install.sh', [
    '--yes',
    '--prefix',
    prefix,
    '--vm-ids',
    ' 100  101',
    '--container-ids',
    '200',
    '--idle-minutes',
    '20',
  ]);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  expect(r.out).toContain('configuration is valid (0 errors, 0 warnings)');
  const installed = manifest('var/lib/proxmox-sleep').map((l) => l.split(' ')[1]);
  expect(installed.sort()).toEqual(HOST.files.map((f) => f.dest).sort());
  expect(manifest('var/lib/proxmox-sleep')).toContain('conffile /etc/proxmox-sleep.conf');
  expect(statSync(at('usr/bin/proxmox-sleep')).mode & 0o777).toBe(0o755);
  const version = spawnSync(at('usr/bin/proxmox-sleep'), ['--version'], { encoding: 'utf8' });
  expect(version.stdout.trim()).toBe(packageVersion(root));
  for (const log of ['var/log/proxmox-idle-monitor.log', 'var/log/proxmox-sleep-manager.log'])
    expect(statSync(at(log)).mode & 0o777).toBe(0o644);

  const conf = readFileSync(at('etc/proxmox-sleep.conf'), 'utf8');
  const loaded = resolveConfig(conf, 'conf', {});
  expect(loaded.problems).toEqual([]);
  expect(loaded.config.guests.map((g) => `${g.kind}${g.id}`)).toEqual(['vm100', 'vm101', 'ct200']);
  expect(loaded.config.global.idleThresholdMinutes).toBe(20);
  // Everything else is the shipped default, line for line.
  const shipped = readFileSync(path.join(root, 'installer/host/proxmox-sleep.conf'), 'utf8').split('\n');
  const written = conf.split('\n');
  expect(written.filter((l) => !shipped.includes(l))).toEqual([
    'VM_IDS="100 101"',
    'CONTAINER_IDS="200"',
    'IDLE_THRESHOLD_MINUTES=20',
  ]);
});

test('an existing configuration is never touched; uninstall keeps it and the logs, --purge does not', () => {
  expect(sh('install.sh', ['-y', '--prefix', prefix, '--vm-ids', '100']).code).toBe(0);
  const edited = readFileSync(at('etc/proxmox-sleep.conf'), 'utf8') + 'VM_100_NAME="mine"\n';
  writeFileSync(at('etc/proxmox-sleep.conf'), edited);

  const again = sh('install.sh', ['-y', '--prefix', prefix, '--vm-ids', '300', '--idle-minutes', '5']);
  expect(again.code).toBe(0);
  expect(again.out).toContain('--vm-ids, --container-ids and --idle-minutes apply to a new one only');
  expect(readFileSync(at('etc/proxmox-sleep.conf'), 'utf8')).toBe(edited);

  const removed = sh('uninstall.sh', ['-y', '--prefix', prefix]);
  expect(removed.code).toBe(0);
  expect(removed.out).toContain('(--purge removes them)');
  for (const f of HOST.files.filter((f) => f.dest !== '/etc/proxmox-sleep.conf'))
    expect(existsSync(at(f.dest))).toBe(false);
  expect(readFileSync(at('etc/proxmox-sleep.conf'), 'utf8')).toBe(edited);
  expect(existsSync(at('var/log/proxmox-sleep-manager.log'))).toBe(true);
  expect(existsSync(at('usr'))).toBe(false);

  const twice = sh('uninstall.sh', ['-y', '--prefix', prefix]);
  expect(twice.code).toBe(1);
  expect(twice.err).toContain('was not installed by install.sh');

  expect(sh('install.sh', ['-y', '--prefix', prefix]).code).toBe(0);
  writeFileSync(at('var/log/proxmox-idle-monitor.log.1'), 'old\n');
  expect(sh('uninstall.sh', ['-y', '--purge', '--prefix', prefix]).code).toBe(0);
  for (const p of [
    'etc/proxmox-sleep.conf',
    'var/log/proxmox-idle-monitor.log',
    'var/log/proxmox-idle-monitor.log.1',
  ])
    expect(existsSync(at(p))).toBe(false);
});

test('without guests the configuration is the shipped default', () => {
  expect(sh('install.sh', ['--yes', '--prefix', prefix]).code).toBe(0);
  expect(readFileSync(at('etc/proxmox-sleep.conf'), 'utf8')).toBe(
    readFileSync(path.join(root, 'installer/host/proxmox-sleep.conf'), 'utf8'),
  );
});

test('the agent: its file set, the status and state directories, uninstall --purge', () => {
  const r = sh('install.sh', ['--agent', '--yes', '--prefix', prefix]);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  const installed = manifest('var/lib/proxmox-sleep-agent').map((l) => l.split(' ')[1]);
  expect(installed.sort()).toEqual(AGENT.files.map((f) => f.dest).sort());
  for (const dir of ['run/proxmox-sleep-agent', 'var/lib/proxmox-sleep-agent'])
    expect(statSync(at(dir)).mode & 0o777).toBe(0o755);
  expect(readFileSync(at('etc/proxmox-sleep/agent.json'), 'utf8')).toBe(
    readFileSync(path.join(root, 'installer/agent/agent.json'), 'utf8'),
  );
  expect(sh('uninstall.sh', ['--agent', '-y', '--prefix', prefix]).code).toBe(0);
  expect(existsSync(at('etc/proxmox-sleep/agent.json'))).toBe(true);
  expect(existsSync(at('usr/bin/proxmox-sleep-agent'))).toBe(false);
  expect(existsSync(at('run/proxmox-sleep-agent'))).toBe(false);
  expect(sh('install.sh', ['--agent', '--yes', '--prefix', prefix]).code).toBe(0);
  expect(sh('uninstall.sh', ['--agent', '--purge', '-y', '--prefix', prefix]).code).toBe(0);
  for (const p of ['etc/proxmox-sleep', 'var/lib/proxmox-sleep-agent', 'usr'])
    expect(existsSync(at(p))).toBe(false);
});

test('refuses without a terminal unless --yes, and bad values, before installing anything', () => {
  const noTty = sh('install.sh', ['--prefix', prefix]);
  expect(noTty.code).toBe(64);
  expect(noTty.err).toContain('pass --yes');
  const badIds = sh('install.sh', ['-y', '--prefix', prefix, '--vm-ids', '100;reboot']);
  expect(badIds.code).toBe(64);
  expect(badIds.err).toContain('--vm-ids: Proxmox IDs separated by spaces');
  const badMinutes = sh('install.sh', ['-y', '--prefix', prefix, '--idle-minutes', '015']);
  expect(badMinutes.code).toBe(64);
  expect(badMinutes.err).toContain('without leading zeros');
  expect(sh('install.sh', ['--bogus']).code).toBe(64);
  expect(existsSync(at('usr'))).toBe(false);
});

test('shellcheck finds nothing in install.sh, uninstall.sh and the maintainer scripts', () => {
  const scripts = ['install.sh', 'uninstall.sh'].map((f) => path.join(root, f));
  const maintainer = ['host', 'agent'].flatMap((p) =>
    ['postinst', 'prerm', 'postrm'].map((s) => path.join(root, 'installer/deb', p, s)),
  );
  const r = spawnSync('shellcheck', [...scripts], { encoding: 'utf8' });
  expect(r.stdout).toBe('');
  expect(r.status).toBe(0);
  const m = spawnSync('shellcheck', ['-s', 'sh', ...maintainer], { encoding: 'utf8' });
  expect(m.stdout).toBe('');
  expect(m.status).toBe(0);
});
