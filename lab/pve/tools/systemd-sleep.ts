/**
 * What systemd does between `systemctl suspend` and the host running again, for the lab: start the sleep
 * hook unit (its ExecStart), sleep, stop it (its ExecStop). Usage: systemd-sleep.js <lab folder>.
 */
import { spawnSync } from 'child_process';
import { hookCommand, hostSettings, recordSuspend } from '../host';

function runHook(dir: string, which: 'ExecStart' | 'ExecStop'): void {
  const settings = hostSettings(dir);
  const argv = hookCommand(settings, which);
  if (!argv) return;
  recordSuspend(dir, { event: `hook ${which}` });
  const r = spawnSync(argv[0], argv.slice(1), {
    env: { ...process.env, ...settings.hook.env },
    stdio: 'ignore',
    timeout: settings.hook.timeoutSeconds * 1000,
  });
  recordSuspend(dir, { event: `hook ${which} done`, exit: r.status ?? -1 });
}

export async function runSleep(dir: string): Promise<void> {
  runHook(dir, 'ExecStart');
  const seconds = hostSettings(dir).suspend.seconds;
  recordSuspend(dir, { event: 'sleep' });
  await new Promise((r) => setTimeout(r, seconds * 1000));
  recordSuspend(dir, { event: 'wake' });
  runHook(dir, 'ExecStop');
}

export async function main(argv: string[]): Promise<void> {
  await runSleep(argv[0]);
}

if (require.main === module) void main(process.argv.slice(2));
