/**
 * The lab host's `systemctl`. `suspend` writes a record and "sleeps" the way systemd would: with the sleep
 * hook unit enabled it runs the unit's ExecStart, sleeps, then its ExecStop. In `async` mode (real systemd:
 * `systemctl suspend` returns once the job is queued) that happens in a detached process after the command
 * returned; in `blocking` mode before it returns. `is-active` answers from the lab's host settings.
 */
import { spawn } from 'child_process';
import * as path from 'path';
import { hostSettings, recordSuspend } from '../host';
import { LAB_TOOLS } from '../processes';
import { labDir, logCall, recordPid } from '../state';
import { runSleep } from './systemd-sleep';

export async function main(argv: string[]): Promise<void> {
  const dir = labDir();
  logCall(dir, 'systemctl', argv);
  const settings = hostSettings(dir);
  const args = argv.filter((a) => !a.startsWith('-'));
  const quiet = argv.includes('--quiet') || argv.includes('-q');
  const [verb, ...units] = args;
  if (verb === 'suspend') {
    recordSuspend(dir, { event: 'requested', pid: process.pid });
    if (settings.suspend.fails) {
      recordSuspend(dir, { event: 'refused' });
      process.stderr.write('Failed to suspend system via logind: Sleep verb "suspend" not supported\n');
      process.exit(1);
    }
    if (settings.suspend.mode === 'blocking') {
      await runSleep(dir);
      return;
    }
    const child = spawn(process.execPath, [path.join(LAB_TOOLS, 'systemd-sleep.js'), dir], {
      detached: true,
      stdio: 'ignore',
      env: process.env,
    });
    child.unref();
    if (child.pid) recordPid(dir, child.pid, 'systemd-sleep');
    return;
  }
  if (verb === 'is-active') {
    let code = 0;
    for (const unit of units) {
      const active = settings.activeUnits.includes(unit);
      if (!quiet) process.stdout.write(`${active ? 'active' : 'inactive'}\n`);
      if (!active) code = 3;
    }
    process.exit(code);
  }
  process.stderr.write(
    "System has not been booted with systemd as init system (PID 1). Can't operate.\nFailed to connect to bus: Host is down\n",
  );
  process.exit(1);
}

if (require.main === module) void main(process.argv.slice(2));
