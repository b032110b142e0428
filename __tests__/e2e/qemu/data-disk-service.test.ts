/**
 * Issue 7, e2e (c) of the QEMU foundation: the lab data disk's `start` script runs inside the guest as a
 * long-lived service (lab-start.service) from the read-only /lab, and what it writes is read back by the host
 * through QGA. The script is a small Node program that loads a module from the disk's node_modules, the way
 * the lab will run the built agent.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { GUEST } from '../../../lab/qemu/image/recipe';
import { Vm } from '../../../lab/qemu/vm';
import { createGuest, eventually, type Guest, guestSh, measured } from '../helpers/qemu-guest';

let dataDir: string;
let guest: Guest;
const TOKEN = `token-${process.pid}-${Date.now()}`;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'lab-data-e2e-'));
  writeFileSync(path.join(dataDir, 'start'), '#!/bin/sh\nexec node /lab/app.js "$@"\n');
  chmodSync(path.join(dataDir, 'start'), 0o755);
  mkdirSync(path.join(dataDir, 'node_modules', 'greeting'), { recursive: true });
  writeFileSync(
    path.join(dataDir, 'node_modules', 'greeting', 'index.js'),
    `module.exports = ${JSON.stringify(TOKEN)};\n`,
  );
  writeFileSync(
    path.join(dataDir, 'app.js'),
    [
      "'use strict';",
      "const fs = require('fs');",
      "const path = require('path');",
      "const greeting = require('greeting');",
      'const out = path.join(process.env.LAB_STATE_DIR, "app.json");',
      'let ticks = 0;',
      'function write() {',
      '  ticks += 1;',
      '  const body = { pid: process.pid, greeting, ticks, cwd: process.cwd(), labDir: process.env.LAB_DIR };',
      '  fs.writeFileSync(`${out}.tmp`, JSON.stringify(body));',
      '  fs.renameSync(`${out}.tmp`, out);',
      '}',
      'write();',
      'setInterval(write, 1000);',
      '',
    ].join('\n'),
  );
  guest = await createGuest('datadisk', { dataDir });
});
afterAll(async () => {
  await guest?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

interface AppStatus {
  pid: number;
  greeting: string;
  ticks: number;
  cwd: string;
  labDir: string;
}

describe('the lab data disk in a QEMU guest', () => {
  it("runs the disk's start script as a service whose output the host reads through QGA", async () => {
    const { vm } = guest;
    const launched = Date.now();
    const boot = await vm.boot({ fullBoot: true });
    measured('accelerator', boot.accel);
    const file = `${GUEST.labStateDir}/app.json`;
    const status = await eventually('the start script to write its status', async () => {
      const s = JSON.parse((await vm.readFile(file)).toString('utf8')) as AppStatus;
      return s.ticks >= 2 ? s : undefined;
    });
    measured('launch_to_start_script_output_ms', Date.now() - launched);
    expect(status).toMatchObject({ greeting: TOKEN, cwd: GUEST.labDir, labDir: GUEST.labDir });

    const unit = await guestSh(
      vm,
      `systemctl is-active ${GUEST.startUnit}; systemctl show -p MainPID --value ${GUEST.startUnit}; findmnt -no OPTIONS ${GUEST.labDir}`,
    );
    const [active, mainPid, options] = unit.stdout.trim().split('\n');
    expect(active).toBe('active');
    expect(Number(mainPid)).toBe(status.pid);
    expect(options.split(',')).toContain('ro');

    // Nothing is held between operations: another process (here another Vm for the same folder, as the
    // lab's qm emulation will be) reads the same file while the first one still has the VM.
    const other = Vm.open(vm.runDir);
    expect(other.status()).toBe('running');
    const seen = JSON.parse((await other.readFile(file)).toString('utf8')) as AppStatus;
    expect(seen.pid).toBe(status.pid);
  });
});
