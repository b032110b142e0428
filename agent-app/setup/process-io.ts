/** The process edges shared by the agent's entry points (the daemon CLI, the tray's CLI): stdout/stderr, signals
 * (stop once; the loop stops within one check timeout, and if anything hangs it leaves after 10 s). */
import { systemClock } from '../../common/clock';
import type { AgentIo } from './io';

export function processIo(): AgentIo {
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
  return {
    env: process.env,
    platform: process.platform,
    clock: systemClock,
    stdout: (text) => new Promise<void>((resolve) => process.stdout.write(text, () => resolve())),
    stderr: (text) => void process.stderr.write(text),
    shutdown: shutdown.signal,
  };
}
