/**
 * TRANSPORT=ssh (macOS guests, or any guest reachable by SSH): the OpenSSH client with BatchMode (never a
 * prompt), strict host key checking (an unknown or changed host key is refused) and a connect timeout. The
 * remote side runs `cat` on the status path; the path comes from the configuration and is quoted for the
 * remote shell. Nothing the guest sends is ever passed to a shell.
 */
import { commandMissing, type Runner } from '../../../common/shell';
import { sanitizeForLog } from '../../../common/sanitize';
import { MAX_STATUS_BYTES } from '../../../protocol';
import type { GuestConfig } from '../../config';
import { ReadFailure } from '../read-failure';
import { DEFAULT_STATUS_PATHS, type StatusTransport } from '../types';

export interface SshTransportOptions {
  run: Runner;
  /** A known_hosts file other than root's (tests, or a dedicated file). */
  knownHostsFile?: string;
}

/** Quotes one word for a POSIX shell on the remote side. */
export function remoteQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The ssh arguments for one guest; `remoteCommand` replaces the default `cat` of its status file. */
export function sshArgs(
  guest: GuestConfig,
  timeoutMs: number,
  knownHostsFile?: string,
  remoteCommand?: string,
): string[] {
  const connectTimeout = Math.max(1, Math.floor(timeoutMs / 2000));
  const args = [
    '-T',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `ConnectTimeout=${connectTimeout}`,
    '-o',
    'ServerAliveInterval=2',
    '-o',
    'ServerAliveCountMax=2',
    '-o',
    'LogLevel=ERROR',
    '-p',
    String(guest.sshPort),
  ];
  if (knownHostsFile) args.push('-o', `UserKnownHostsFile=${knownHostsFile}`);
  if (guest.sshKey) args.push('-i', guest.sshKey, '-o', 'IdentitiesOnly=yes');
  const file = guest.statusPath || DEFAULT_STATUS_PATHS.macos;
  args.push('--', guest.sshTarget, remoteCommand ?? `cat -- ${remoteQuote(file)}`);
  return args;
}

export function createSshTransport(options: SshTransportOptions): StatusTransport {
  return {
    name: 'ssh',
    describe: (guest) =>
      `ssh ${guest.sshTarget}:${guest.sshPort}: ${guest.statusPath || DEFAULT_STATUS_PATHS.macos}`,
    async read(guest, timeoutMs) {
      const result = await options.run('ssh', sshArgs(guest, timeoutMs, options.knownHostsFile), {
        timeoutMs,
        maxOutputBytes: MAX_STATUS_BYTES,
      });
      if (commandMissing(result))
        throw new ReadFailure('unavailable', 'ssh (OpenSSH client) is not installed');
      if (result.truncated)
        throw new ReadFailure('too_large', `status file is larger than ${MAX_STATUS_BYTES} bytes`);
      if (result.timedOut) throw new ReadFailure('timeout', `ssh to ${guest.sshTarget} timed out`);
      if (result.exitCode === 0) return result.stdoutBytes;
      const err = sanitizeForLog(result.stderr.trim(), 300);
      if (
        /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No [A-Z0-9]+ host key is known/i.test(
          err,
        )
      )
        throw new ReadFailure(
          'host_key',
          `ssh refused ${guest.sshTarget}: its host key is not in known_hosts (${err})`,
        );
      if (/Permission denied/i.test(err)) throw new ReadFailure('auth', `ssh to ${guest.sshTarget}: ${err}`);
      if (/timed out|Connection timed out/i.test(err))
        throw new ReadFailure('timeout', `ssh to ${guest.sshTarget}: ${err}`);
      if (result.exitCode === 255)
        throw new ReadFailure('unreachable', `ssh to ${guest.sshTarget}: ${err || 'connection failed'}`);
      if (/No such file or directory/i.test(err))
        throw new ReadFailure('no_file', `on ${guest.sshTarget}: ${err}`);
      throw new ReadFailure('exec_failed', `ssh ${guest.sshTarget} cat exited ${result.exitCode}: ${err}`);
    },
  };
}
