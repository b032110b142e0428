#!/usr/bin/env node
/**
 * The lab demo's command line (`npm start [-- options]`, see docs/lab.md): checks what this machine has,
 * runs the demo, and turns Ctrl-C into a clean stop.
 */
import { existsSync } from 'fs';
import { Command, Option } from 'commander';
import { QEMU_GA_CANDIDATES } from '../pve/power';
import { HOST_CLI } from './demo-lab';
import { runDemo } from './run';
import type { DemoTransport } from './scenario';
import { XVFB } from './xvfb';

export function hasQemuGa(candidates = QEMU_GA_CANDIDATES): boolean {
  return candidates.some((p) => existsSync(p));
}

/** The transport to use, and what to tell the user about it. */
export function chooseTransport(
  asked: 'auto' | DemoTransport,
  qemuGa: boolean,
): { transport: DemoTransport; notice: string | null } {
  if (asked === 'virtiofs') return { transport: 'virtiofs', notice: null };
  if (qemuGa) return { transport: 'qga', notice: null };
  const how =
    'qemu-ga (the QEMU guest agent) is not installed, so the guests have no guest agent: the host reads their ' +
    'status over the virtiofs transport and shuts them down instead of hibernating them. For the full demo, ' +
    'install it: sudo apt install qemu-guest-agent';
  if (asked === 'qga') throw new Error(how);
  return { transport: 'virtiofs', notice: how };
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('npm start --')
    .description(
      'The lab demo: four light guests with real agents, the real host tool with short timings, one full sleep cycle on screen.',
    )
    .option('--keep-running', 'keep cycling (sleep, wake, again) until Ctrl-C')
    .addOption(
      new Option('--transport <how>', 'how the host reads the guests: qga (qemu-ga), virtiofs, or auto')
        .choices(['auto', 'qga', 'virtiofs'])
        .default('auto'),
    )
    .option('--plain', 'one line per event, even on a terminal (the default when stdout is not a terminal)')
    .option('--record <file>', 'also write every terminal frame to this file (JSON lines), for recordings')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    const code = (e as { exitCode?: number }).exitCode;
    return code === 0 ? 0 : 64;
  }
  const o = program.opts<{
    keepRunning?: boolean;
    transport: 'auto' | DemoTransport;
    plain?: boolean;
    record?: string;
  }>();
  if (!existsSync(HOST_CLI)) {
    process.stderr.write(`${HOST_CLI} is missing: run \`npm run build\` (npm start does it for you)\n`);
    return 1;
  }
  if (!existsSync(XVFB))
    process.stderr.write(
      'Xvfb is not installed: the desktop guest has no X server (sudo apt install xvfb x11-utils xprintidle)\n',
    );
  let chosen: ReturnType<typeof chooseTransport>;
  try {
    chosen = chooseTransport(o.transport, hasQemuGa());
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
  if (chosen.notice) process.stdout.write(`${chosen.notice}\n\n`);
  let onSignal: (signal: string) => void = () => undefined;
  const interrupted = new Promise<string>((resolve) => (onSignal = (s) => resolve(`stopped by ${s}`)));
  const handler = (signal: NodeJS.Signals) => () => onSignal(signal);
  const onInt = handler('SIGINT');
  const onTerm = handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    const result = await runDemo({
      keepRunning: o.keepRunning ?? false,
      transport: chosen.transport,
      tty: !o.plain && Boolean(process.stdout.isTTY),
      out: process.stdout,
      recordFrames: o.record,
      interrupted,
    });
    return result.code;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
