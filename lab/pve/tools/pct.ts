/**
 * The lab's `pct`: status, start, shutdown, stop, exec. `pct exec <id> -- cat -- <file>` reads the file under
 * the container's rootfs folder; `pct exec <id> -- ps -eo args=` prints <rootfs>/.ps; `pct exec <id> --
 * proxmox-sleep-agent …` runs the real agent CLI on the container's files.
 */
import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import * as path from 'path';
import { agentArgs, requestShutdown, startGuest, stopGuest } from '../power';
import { AGENT_CLI, LAB_GUEST_BIN } from '../processes';
import { labDir, logCall, paths } from '../state';
import { ctOf, die, hangIf, option, startDelay, waitStopped } from './common';

export async function main(argv: string[]): Promise<void> {
  const dir = labDir();
  logCall(dir, 'pct', argv);
  const [verb, id, ...rest] = argv;
  const ct = ctOf(dir, id);
  await hangIf(ct, verb === 'exec' ? 'guest' : verb);
  if (verb === 'status') {
    process.stdout.write(`status: ${ct.status}\n`);
    return;
  }
  if (verb === 'start') {
    await startDelay(ct);
    const result = startGuest(dir, ct.id, 'pct start');
    if (!result.ok) die(result.message);
    return;
  }
  if (verb === 'shutdown') {
    if (ct.status !== 'running') return;
    requestShutdown(dir, ct.id, 'pct shutdown');
    if (await waitStopped(dir, ct.id, Number(option(rest, '--timeout') ?? 60))) return;
    if (option(rest, '--forceStop') === '1') {
      stopGuest(dir, ct.id);
      return;
    }
    die('container did not stop in time - got timeout');
  }
  if (verb === 'stop') {
    stopGuest(dir, ct.id);
    return;
  }
  if (verb === 'exec') {
    if (ct.status !== 'running') die(`CT ${id} not running`);
    const cmd = rest.slice(rest.indexOf('--') + 1);
    const rootfs = ct.rootfs ?? paths(dir).guestDir(ct.id);
    if (cmd[0] === 'cat') {
      const file = cmd[cmd.length - 1];
      try {
        process.stdout.write(readFileSync(path.join(rootfs, path.resolve('/', file))));
      } catch {
        die(`cat: ${file}: No such file or directory`, 1);
      }
      return;
    }
    if (cmd[0] === 'ps') {
      process.stdout.write(readFileSync(path.join(rootfs, '.ps')));
      return;
    }
    if (cmd[0] === 'proxmox-sleep-agent') {
      const guestDir = paths(dir).guestDir(ct.id);
      const r = spawnSync(process.execPath, [AGENT_CLI, ...agentArgs(dir, ct), ...cmd.slice(1)], {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: {
          ...process.env,
          PATH: `${LAB_GUEST_BIN}:${process.env.PATH}`,
          LAB_GUEST_ID: String(ct.id),
          LAB_GUEST_DIR: guestDir,
        },
      });
      process.exit(r.status ?? 1);
    }
    die(`lxc-attach: ${cmd[0]}: No such file or directory`, 127);
  }
  die(`unknown command 'pct ${argv.join(' ')}'`);
}

if (require.main === module) void main(process.argv.slice(2));
