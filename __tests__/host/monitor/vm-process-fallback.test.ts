/**
 * GAMING_PROCESSES for a VM without our agent (a 1.x setup: only the QEMU guest agent in the guest): the host
 * reads the process list through the REAL qemu-ga's guest-exec, as release 1.x did, and matches names exactly,
 * case-insensitively, ignoring `.exe`.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { $, type ProcessPromise } from 'zx';
import { SimulatedClock } from '../../../common/clock';
import { memorySink } from '../../../common/log';
import { resolveConfig } from '../../../host/config';
import { processNamesFromGetProcess, vmProcessListCommand } from '../../../host/guest/processes';
import { evaluate } from '../../../host/monitor/evaluate';
import { wire } from '../../../host/wiring/index';
import { createFakePve, type FakePve } from '../helpers/fake-pve';

let pve: FakePve;
let work: string;
let game: ProcessPromise;

beforeAll(async () => {
  pve = createFakePve();
  work = mkdtempSync(path.join(os.tmpdir(), 'vm-proc-'));
  await pve.addVm(100);
  // A process whose argv[0] basename is "SpaceGame", standing in for a game inside the guest.
  const binary = path.join(work, 'SpaceGame');
  copyFileSync('/bin/sleep', binary);
  game = $({ quiet: true, nothrow: true })`${binary} 300`;
});
afterAll(async () => {
  await game.kill('SIGKILL').catch(() => undefined);
  await pve.cleanup();
  rmSync(work, { recursive: true, force: true });
});

async function evaluateWith(processes: string) {
  const text = [
    'VM_IDS=100',
    'VM_100_TRANSPORT=none',
    'VM_100_ON_AGENT_MISSING=idle',
    `VM_100_GAMING_PROCESSES="${processes}"`,
    'GUEST_AGENT_ACCESS=socket',
    `QGA_SOCKET_DIR=${pve.socketDir}`,
    'CHECK_SSH_SESSIONS=0',
    'CHECK_SLEEP_INHIBITORS=0',
    'HOST_BLOCKING_UNITS=""',
  ].join('\n');
  const env = { ...pve.env, PROXMOX_SLEEP_STATE_DIR: path.join(work, `state-${processes.length}`) };
  const loaded = resolveConfig(text, 'test.conf', env);
  expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
  const wired = await wire(loaded.config, {
    env: { ...process.env, ...env },
    clock: new SimulatedClock(Date.now()),
    sink: memorySink(),
  });
  try {
    return (await evaluate(loaded.config, wired)).decision.verdict.guests[0];
  } finally {
    wired.close();
  }
}

test('a configured process running in an agent-less VM keeps it active (".exe" and case ignored)', async () => {
  const verdict = await evaluateWith('spacegame.exe,other.exe');
  expect(verdict).toMatchObject({ state: 'active', reasons: ['process:SpaceGame'] });
});

test('a name that only starts the same does not match', async () => {
  expect((await evaluateWith('Space')).state).toBe('idle');
});

test('Windows guests are asked with Get-Process, whose names have no .exe', () => {
  expect(vmProcessListCommand('windows')).toEqual([
    'powershell.exe',
    '-NoProfile',
    '-NonInteractive',
    '-Command',
    'Get-Process | Select-Object -ExpandProperty Name',
  ]);
  expect(vmProcessListCommand('linux')).toEqual(['ps', '-axo', 'args=']);
  expect(processNamesFromGetProcess('steam\r\nsteamwebhelper\r\n\r\nexplorer\r\n')).toEqual([
    'steam',
    'steamwebhelper',
    'explorer',
  ]);
});
