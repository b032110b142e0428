#!/usr/bin/env node
/** The `proxmox-sleep-agent` executable: process edges only (stdout, signals, exit code). */
import { processIo } from './process-io';
import { runAgentCli } from './program';

void runAgentCli(process.argv, processIo()).then((code) => {
  process.exitCode = code;
});
