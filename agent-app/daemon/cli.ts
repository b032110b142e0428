#!/usr/bin/env node
/** The `proxmox-sleep-agent` executable: process edges only (stdout, signals, exit code). */
import { systemClock } from '../../common/clock';
import { runAgentCli } from './program';

const shutdown = new AbortController();
let signalled = false;
const onSignal = (name: string) => {
  if (signalled) return;
  signalled = true;
  process.stderr.write(`proxmox-sleep-agent: ${name} received, stopping\n`);
  shutdown.abort();
  // The loop stops within one check timeout; if anything hangs, leave anyway.
  setTimeout(() => process.exit(1), 10_000).unref();
};
process.once('SIGTERM', () => onSignal('SIGTERM'));
process.once('SIGINT', () => onSignal('SIGINT'));
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

void runAgentCli(process.argv, {
  env: process.env,
  platform: process.platform,
  clock: systemClock,
  stdout: (text) => new Promise<void>((resolve) => process.stdout.write(text, () => resolve())),
  stderr: (text) => void process.stderr.write(text),
  shutdown: shutdown.signal,
}).then((code) => {
  process.exitCode = code;
});
