/** The guest installer files, checked with systemd's own tools (they work without systemd as PID 1). */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { $ } from 'zx';

const installer = path.join(__dirname, '..', '..', 'installer', 'agent');
let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'agent-installer-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('the tmpfiles rule creates root-owned 0755 run and state directories', async () => {
  await $`systemd-tmpfiles --root=${dir} --create ${path.join(installer, 'proxmox-sleep-agent.tmpfiles')}`.quiet();
  for (const sub of ['run/proxmox-sleep-agent', 'var/lib/proxmox-sleep-agent']) {
    const stat = statSync(path.join(dir, sub));
    expect(stat.isDirectory()).toBe(true);
    expect(stat.mode & 0o777).toBe(0o755);
    expect(stat.uid).toBe(0);
  }
});

it('the unit passes systemd-analyze verify without warnings', async () => {
  const unit = readFileSync(path.join(installer, 'proxmox-sleep-agent.service'), 'utf8');
  expect(unit).toMatch(/^ExecStart=\/usr\/bin\/proxmox-sleep-agent run$/m);
  expect(unit).toMatch(/^RestartPreventExitStatus=78$/m);
  // verify checks that ExecStart exists; point it at a binary that does.
  const copy = path.join(dir, 'proxmox-sleep-agent.service');
  writeFileSync(copy, unit.replace('/usr/bin/proxmox-sleep-agent', '/bin/true'));
  const result = await $`systemd-analyze verify ${copy}`.nothrow().quiet();
  expect(result.stderr.trim()).toBe('');
  expect(result.exitCode).toBe(0);
});
