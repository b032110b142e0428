/**
 * The host's installer files, checked with the tools that will read them: systemd-analyze verify for the
 * units (it works without systemd as PID 1), logrotate in debug mode, and the cron line's syntax.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { $ } from 'zx';

const installer = path.join(__dirname, '..', '..', 'installer', 'host');
const read = (name: string) => readFileSync(path.join(installer, name), 'utf8');
let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'host-installer-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('both units pass systemd-analyze verify, man page reference included', async () => {
  mkdirSync(path.join(dir, 'man', 'man8'), { recursive: true });
  copyFileSync(
    path.join(installer, 'man', 'proxmox-sleep.8'),
    path.join(dir, 'man', 'man8', 'proxmox-sleep.8'),
  );
  const units = ['proxmox-sleep.service', 'proxmox-sleep-hook.service'].map((name) => {
    // verify checks that ExecStart exists; point it at a binary that does.
    const copy = path.join(dir, name);
    writeFileSync(copy, read(name).replace(/\/usr\/bin\/proxmox-sleep/g, '/bin/true'));
    return copy;
  });
  const result = await $({
    env: { ...process.env, MANPATH: path.join(dir, 'man') },
  })`systemd-analyze verify ${units}`
    .nothrow()
    .quiet();
  expect(result.stderr.trim()).toBe('');
  expect(result.exitCode).toBe(0);
});

test('the daemon unit: restart on failure after 30 s, never on exit 78, after pve-cluster', () => {
  const unit = read('proxmox-sleep.service');
  for (const line of [
    'ExecStart=/usr/bin/proxmox-sleep daemon',
    'Restart=on-failure',
    'RestartSec=30',
    'RestartPreventExitStatus=78',
    'After=network.target pve-cluster.service',
    'WantedBy=multi-user.target',
  ])
    expect(unit.split('\n')).toContain(line);
});

test('the sleep hook unit: pre-sleep before sleep.target, post-wake when it stops, generous timeouts', () => {
  const unit = read('proxmox-sleep-hook.service').split('\n');
  for (const line of [
    'Before=sleep.target',
    'StopWhenUnneeded=yes',
    'Type=oneshot',
    'RemainAfterExit=yes',
    'ExecStart=/usr/bin/proxmox-sleep pre-sleep --hook',
    'ExecStop=/usr/bin/proxmox-sleep post-wake --hook',
    'TimeoutStartSec=45min',
    'TimeoutStopSec=30min',
    'WantedBy=sleep.target',
  ])
    expect(unit).toContain(line);
});

test('the cron file ships its tick line commented out, with a PATH that has qm, and a valid line once enabled', () => {
  const lines = read('proxmox-sleep.cron').split('\n');
  const active = lines.filter((l) => l.trim() !== '' && !l.startsWith('#'));
  expect(active).toEqual(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
  const job = lines.filter((l) => /^#\s*[*0-9]/.test(l));
  expect(job).toEqual(['#* * * * * root /usr/bin/proxmox-sleep tick >/dev/null 2>&1']);
  const fields = job[0].slice(1).split(/\s+/);
  expect(fields.slice(0, 5)).toEqual(['*', '*', '*', '*', '*']);
  expect(fields.slice(5, 8)).toEqual(['root', '/usr/bin/proxmox-sleep', 'tick']);
});

test('logrotate reads the file: both logs, weekly, 4 kept, compressed, copytruncate', async () => {
  const conf = path.join(dir, 'logrotate.conf');
  writeFileSync(conf, read('proxmox-sleep.logrotate').replace(/\/var\/log/g, dir));
  writeFileSync(path.join(dir, 'proxmox-sleep-manager.log'), 'line\n');
  const result = await $`logrotate -d -s ${path.join(dir, 'state')} ${conf}`.nothrow().quiet();
  expect(result.exitCode).toBe(0);
  const out = result.stdout + result.stderr;
  expect(out).toContain(
    `rotating pattern: ${dir}/proxmox-idle-monitor.log ${dir}/proxmox-sleep-manager.log  weekly (4 rotations)`,
  );
  expect(out).toMatch(/copying .*proxmox-sleep-manager.log|considering log .*proxmox-sleep-manager.log/);
  for (const directive of [
    'weekly',
    'rotate 4',
    'compress',
    'delaycompress',
    'missingok',
    'notifempty',
    'copytruncate',
  ])
    expect(read('proxmox-sleep.logrotate')).toMatch(new RegExp(`^\\s+${directive}$`, 'm'));
});
