/** The process edges shared by the CLI entry points: stdout/stderr, signals (stop once, leave after 10 s). */
import { systemClock } from '../../../common/clock';
import type { AgentIo } from '../../daemon/io';

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
