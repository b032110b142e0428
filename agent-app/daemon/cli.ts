#!/usr/bin/env node
/** The `proxmox-sleep-agent` executable: process edges only (stdout, signals, exit code). */
import { runAgentCli } from '../cli/program';
import { processIo } from '../setup/process-io';

void runAgentCli(process.argv, processIo()).then((code) => {
  process.exitCode = code;
});
