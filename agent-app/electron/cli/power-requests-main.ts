/**
 * Entry point of the Windows SYSTEM task (`proxmox-sleep-agent.cmd power-requests` starts this file). It
 * stays resident, so it is bundled on its own, without the agent core, the protocol schemas or the
 * probes: that keeps it near Node's own footprint (docs/tray.md, Power requests on Windows).
 */
import { runPowerRequestsCli } from './power-requests-cli';
import { processIo } from '../../setup/process-io';

void runPowerRequestsCli(process.argv, processIo()).then((code) => {
  process.exitCode = code;
});
