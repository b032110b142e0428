#!/usr/bin/env node
/**
 * The tray package's `proxmox-sleep-agent` executable (started by the wrappers in installer/windows,
 * installer/linux-desktop and installer/macos, with Electron in Node mode): process edges only.
 * `power-requests` starts without the rest of the command line (see power-requests-main.ts).
 */
import { processIo } from '../../setup/process-io';

async function main(argv: string[]): Promise<number> {
  const io = processIo();
  if (argv[2] === 'power-requests')
    return (await import('./power-requests-cli')).runPowerRequestsCli(argv, io);
  return (await import('./tray-agent-cli')).runTrayAgentCli(argv, io);
}

void main(process.argv).then((code) => {
  process.exitCode = code;
});
