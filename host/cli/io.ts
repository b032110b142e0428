import type { Command } from 'commander';
import type { Env } from '../config';

/** What a command may touch of the outside world; tests pass their own. */
export interface Io {
  env: Env;
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stdout is a terminal (progress output, colours). */
  isTTY: boolean;
}

export const processIo = (): Io => ({
  env: process.env,
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  isTTY: Boolean(process.stdout.isTTY),
});

/** Options every command understands (ARCHITECTURE §4). */
export interface GlobalOptions {
  config?: string;
  json?: boolean;
  dryRun?: boolean;
}

/**
 * Adds one command to the program. Only its definition (arguments, options, help) loads with the program;
 * its action loads what it needs when it runs (cli/actions/), so `--version` and `--help` stay fast.
 */
export type RegisterCommand = (program: Command, io: Io, setExit: (code: number) => void) => void;

/** One JSON document on stdout. */
export function printJson(io: Io, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
