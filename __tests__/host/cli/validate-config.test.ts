import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { runHostCli } from '../../helpers/run-cli';

const root = path.join(__dirname, '..', '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'psm-cli-'));
const conf = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
const example = path.join(root, 'installer', 'proxmox-sleep.conf.example');
const noPve = { PATH: '/usr/bin:/bin' };

describe('proxmox-sleep validate', () => {
  it('accepts the example configuration (exit 0) and warns once per missing Proxmox tool', async () => {
    const r = await runHostCli(['validate', '--config', example], noPve);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 guests (VM 100 "gaming-pc", container 200 "media")');
    expect(r.stdout).toMatch(/warning: qm is not on PATH/);
    expect(r.stdout).toMatch(/configuration is valid \(0 errors, 2 warnings\)/);
  });

  it('rejects a bad configuration with exit 78 and file:line messages', async () => {
    const p = conf('bad.conf', 'VM_IDS=100\nCHECK_INTERVAL=08\nVM_100_SLEEP_ACTION=nap\n');
    const r = await runHostCli(['validate', '--no-guest-check', '-c', p], {});
    expect(r.code).toBe(78);
    expect(r.stdout).toContain(`${p}:2: error: CHECK_INTERVAL: "08" has a leading zero`);
    expect(r.stdout).toContain(
      `${p}:3: error: VM_100_SLEEP_ACTION: "nap" is not one of hibernate, shutdown, keep_running, ignore`,
    );
    expect(r.stdout).toContain('configuration is INVALID (2 errors, 0 warnings)');
  });

  it('reads the file named by CONFIG_FILE, and the environment overrides it', async () => {
    const p = conf('env.conf', 'VM_IDS=100\n');
    const r = await runHostCli(['validate', '--no-guest-check', '--json'], {
      CONFIG_FILE: p,
      VM_100_NAME: 'from-env',
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      valid: true,
      file: p,
      guests: [{ kind: 'vm', id: 100, name: 'from-env' }],
      problems: [],
    });
  });

  it('prints problems as JSON with --json', async () => {
    const p = conf('json.conf', 'VM_IDS="100 100"\n');
    const r = await runHostCli(['--json', 'validate', '--no-guest-check', '--config', p]);
    expect(r.code).toBe(78);
    const doc = JSON.parse(r.stdout);
    expect(doc.valid).toBe(false);
    expect(doc.problems).toEqual([
      {
        severity: 'error',
        file: p,
        line: 1,
        key: 'VM_IDS',
        message: '100 is listed more than once; the duplicate is ignored',
      },
    ]);
  });

  it('checks that the configured guests exist when qm and pct are on PATH', async () => {
    const bin = path.join(dir, 'bin');
    execFileSync('mkdir', ['-p', bin]);
    // Fake qm/pct: guest 100 and 200 exist, everything else does not (as `qm status` answers on Proxmox).
    for (const tool of ['qm', 'pct']) {
      const script = path.join(bin, tool);
      writeFileSync(
        script,
        `#!/bin/sh\nif [ "$2" = 100 ] || [ "$2" = 200 ]; then echo "status: running"; exit 0; fi\necho "Configuration file 'nodes/pve/${tool === 'qm' ? 'qemu-server' : 'lxc'}/$2.conf' does not exist" >&2; exit 2\n`,
        { mode: 0o755 },
      );
    }
    const p = conf('exists.conf', 'VM_IDS="100 105"\nCONTAINER_IDS=200\n');
    const r = await runHostCli(['validate', '-c', p], { PATH: `${bin}:/usr/bin:/bin` });
    expect(r.code).toBe(78);
    expect(r.stdout).toMatch(
      /error: VM_IDS: VM 105 does not exist on this host \(Configuration file .*105\.conf' does not exist\)/,
    );
    expect(r.stdout).not.toMatch(/VM 100 does not exist/);
    expect(r.stdout).not.toMatch(/container 200 does not exist/);
  });
});

describe('proxmox-sleep config', () => {
  it('shows each effective value and where it came from', async () => {
    const p = conf('show.conf', '# x\nVM_IDS=100\nWAKE_DELAY=9\n');
    const r = await runHostCli(['config', '--json', '-c', p], { CHECK_INTERVAL: '30' });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.file).toBe(p);
    expect(doc.global.WAKE_DELAY).toEqual({ value: 9, source: 'file:3' });
    expect(doc.global.CHECK_INTERVAL).toEqual({ value: 30, source: 'env' });
    expect(doc.global.IDLE_THRESHOLD_MINUTES).toEqual({ value: 15, source: 'default' });
    expect(doc.guests[0].settings.VM_100_IDLE_TIMEOUT).toEqual({
      value: 15,
      source: 'inherited:IDLE_THRESHOLD_MINUTES (default)',
    });
    expect(doc.state_dir).toEqual({ value: '/run/proxmox-sleep', source: 'default' });
  });

  it('prints a readable table', async () => {
    const p = conf('table.conf', 'VM_IDS=100\n');
    const r = await runHostCli(['config', '-c', p]);
    expect(r.stdout).toMatch(/^ {2}VM_IDS +100 +file:1$/m);
    expect(r.stdout).toMatch(/^VM 100:$/m);
  });

  it('lists every key with --keys', async () => {
    const r = await runHostCli(['config', '--keys']);
    expect(r.stdout).toContain(
      'IDLE_THRESHOLD_MINUTES  [whole minutes (0–100000) or with a unit: 45s, 10m, 2h; default 15]',
    );
    expect(r.stdout).toContain('SLEEP_ACTION  [hibernate | shutdown | keep_running | ignore;');
  });
});

describe('the proxmox-sleep binary (dist/host/cli.js)', () => {
  const bin = path.join(root, 'dist', 'host', 'cli.js');

  it('prints its version and help', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toBe(pkg.version);
    expect(execFileSync(bin, ['--help'], { encoding: 'utf8' })).toContain('Usage: proxmox-sleep');
  });

  it('exits 64 on a usage error', () => {
    const r = spawnSync(bin, ['no-such-command'], { encoding: 'utf8' });
    expect(r.status).toBe(64);
    expect(r.stderr).toMatch(/unknown command 'no-such-command'/);
  });

  it('exits 78 on an invalid configuration', () => {
    const r = spawnSync(
      bin,
      ['validate', '--no-guest-check', '--config', conf('x.conf', 'CHECK_INTERVAL=0\n')],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(78);
  });
});
