#!/usr/bin/env node
import { processIo } from './cli/io';
import { runCli } from './cli/program';

// `proxmox-sleep status | head` closes the pipe early; that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

void runCli(process.argv, processIo()).then((code) => {
  process.exitCode = code;
});
