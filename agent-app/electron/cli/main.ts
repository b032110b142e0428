#!/usr/bin/env node
/**
 * The tray package's `proxmox-sleep-agent` executable (started by the wrappers in installer/windows,
 * installer/linux-desktop and installer/macos, with Electron in Node mode): process edges only.
 */
import { systemClock } from '../../../common/clock';
import { runTrayAgentCli } from './tray-agent-cli';

const shutdown = new AbortController();
let signalled = false;
const onSignal = (name: string) => {
  if (signalled) return;
  signalled = true;
  process.stderr.write(`proxmox-sleep-agent: ${name} received, stopping\n`);
  shutdown.abort();
  setTimeout(() => process.exit(1), 10_000).unref();
};
process.once('SIGTERM', () => onSignal('SIGTERM'));
process.once('SIGINT', () => onSignal('SIGINT'));
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

void runTrayAgentCli(process.argv, {
  env: process.env,
  platform: process.platform,
  clock: systemClock,
  stdout: (text) => new Promise<void>((resolve) => process.stdout.write(text, () => resolve())),
  stderr: (text) => void process.stderr.write(text),
  shutdown: shutdown.signal,
}).then((code) => {
  process.exitCode = code;
});
