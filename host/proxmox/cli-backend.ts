/**
 * The default Proxmox backend: the stock `qm`, `pct` and `pvesh` found on PATH, each call through the shell
 * seam with a timeout. Zero setup; every call starts Perl, so it is the slower backend.
 */
import { TransientError, UnavailableError, describeFailure } from '../../common/errors';
import { commandMissing, type RunResult, type Runner } from '../../common/shell';
import { execResultFrom, fileReadBytes } from './qga-socket';
import {
  ExecStatusSchema,
  classifyAgentFailure,
  parseClusterResources,
  parseStatusCurrent,
  parseStatusLine,
} from './pve-output';
import {
  GuestAgentError,
  toPowerState,
  type ExecOptions,
  type ExecResult,
  type GuestAgent,
  type GuestInfo,
  type GuestRef,
  type PowerOptions,
  type Proxmox,
} from './types';

export interface CliBackendOptions {
  run: Runner;
  node: string;
  /** Timeout of a status or list call. */
  callTimeoutMs?: number;
}

const tool = (ref: GuestRef) => (ref.kind === 'vm' ? 'qm' : 'pct');
const apiKind = (ref: GuestRef) => (ref.kind === 'vm' ? 'qemu' : 'lxc');

export function createCliBackend(options: CliBackendOptions): Proxmox {
  const { run, node } = options;
  const callTimeoutMs = options.callTimeoutMs ?? 15000;

  const checked = async (cmd: string, args: string[], timeoutMs = callTimeoutMs, maxOutputBytes?: number) => {
    const result = await run(cmd, args, { timeoutMs, maxOutputBytes });
    if (commandMissing(result))
      throw new UnavailableError(`${cmd} is not on PATH (is this a Proxmox VE host?)`, cmd);
    return result;
  };
  const mustSucceed = (result: RunResult): RunResult => {
    if (result.exitCode !== 0 || result.timedOut) throw new TransientError(describeFailure(result));
    return result;
  };
  const json = (result: RunResult): unknown => {
    try {
      return JSON.parse(result.stdout);
    } catch {
      throw new TransientError(`\`${result.command} ${result.args.join(' ')}\` did not print JSON`);
    }
  };

  const agentFailure = (result: RunResult, what: string): GuestAgentError => {
    if (result.timedOut) return new GuestAgentError('timeout', `${what} timed out`);
    if (result.truncated) return new GuestAgentError('too_large', `${what}: output too large`);
    const code = classifyAgentFailure(result.stderr);
    return new GuestAgentError(code, describeFailure(result));
  };

  const agent: GuestAgent = {
    access: 'pvesh',
    async command(vmid, name, timeoutMs) {
      const result = await checked('qm', ['guest', 'cmd', String(vmid), name], timeoutMs);
      if (result.exitCode !== 0 || result.timedOut)
        throw agentFailure(result, `qm guest cmd ${vmid} ${name}`);
      if (result.stdout.trim() === '') return {};
      return json(result);
    },
    async readFile(vmid, file, maxBytes, timeoutMs) {
      // Worst case every byte is escaped as \u00XX (6 bytes) in the JSON.
      const result = await checked(
        'pvesh',
        ['get', `/nodes/${node}/qemu/${vmid}/agent/file-read`, '--file', file, '--output-format', 'json'],
        timeoutMs,
        maxBytes * 6 + 4096,
      );
      if (result.exitCode !== 0 || result.timedOut || result.truncated)
        throw agentFailure(result, `reading ${file} in VM ${vmid}`);
      return fileReadBytes(json(result), file, maxBytes, 'pvesh file-read');
    },
    async suspendDisk(vmid, timeoutMs) {
      const result = await checked('qm', ['guest', 'cmd', String(vmid), 'suspend-disk'], timeoutMs);
      if (result.exitCode === 0 || result.timedOut) return 'sent';
      const failure = agentFailure(result, `qm guest cmd ${vmid} suspend-disk`);
      // qemu-server waits 5 s for an answer that never comes when the guest hibernates: "got timeout".
      if (failure.code === 'timeout') return 'sent';
      throw failure;
    },
    async exec(vmid, argv, opts: ExecOptions): Promise<ExecResult> {
      const seconds = Math.max(1, Math.ceil(opts.timeoutMs / 1000));
      const args = ['guest', 'exec', String(vmid), '--timeout', String(seconds)];
      if (opts.input !== undefined) args.push('--pass-stdin', '1');
      const result = await run('qm', [...args, '--', ...argv], {
        timeoutMs: opts.timeoutMs + 5000,
        input: opts.input,
        maxOutputBytes: opts.maxOutputBytes * 6 + 4096,
      });
      if (commandMissing(result)) throw new UnavailableError('qm is not on PATH', 'qm');
      if (result.exitCode !== 0 || result.timedOut || result.truncated) {
        const failure = agentFailure(result, `qm guest exec ${vmid}`);
        // qemu-server names the agent command that failed. Once guest-exec-status fails the program was
        // running: losing the agent then (the program made the guest hibernate or power off) leaves its end
        // unknown, not "never ran".
        if (/'guest-exec-status' failed/.test(result.stderr))
          throw new GuestAgentError(
            'timeout',
            `${argv[0]} started, then the guest agent went away before it finished: ${failure.message}`,
          );
        throw failure;
      }
      const parsed = ExecStatusSchema.safeParse(json(result));
      if (!parsed.success) throw new GuestAgentError('bad_reply', 'qm guest exec: unexpected output');
      const status = parsed.data as Record<string, unknown>;
      // On its own timeout qm prints only {"pid": N} (and exits 0).
      if (status.exited === undefined || status.exited === 0 || status.exited === false)
        throw new GuestAgentError('timeout', `${argv[0]} did not finish within ${seconds} s`);
      return execResultFrom(status, opts.maxOutputBytes, 'proxmox-decoded');
    },
  };

  const power =
    (verb: 'start' | 'shutdown' | 'stop') =>
    async (ref: GuestRef, opts: PowerOptions = {}): Promise<void> => {
      const args = [verb, String(ref.id)];
      if (opts.timeoutSeconds !== undefined && verb !== 'start')
        args.push('--timeout', String(opts.timeoutSeconds));
      if (opts.forceStop && verb === 'shutdown') args.push('--forceStop', '1');
      const wait = opts.callTimeoutMs ?? (opts.timeoutSeconds ?? 60) * 1000 + 2 * callTimeoutMs;
      mustSucceed(await checked(tool(ref), args, wait));
    };

  return {
    backend: 'cli',
    node,
    agent,
    async listGuests(): Promise<GuestInfo[]> {
      const result = mustSucceed(
        await checked('pvesh', ['get', '/cluster/resources', '--type', 'vm', '--output-format', 'json']),
      );
      return parseClusterResources(json(result), node);
    },
    async status(ref): Promise<GuestInfo> {
      const result = await checked('pvesh', [
        'get',
        `/nodes/${node}/${apiKind(ref)}/${ref.id}/status/current`,
        '--output-format',
        'json',
      ]);
      if (result.exitCode === 0) return parseStatusCurrent(json(result), ref.kind, ref.id);
      // pvesh may be restricted; `qm status` still answers with the power state.
      const fallback = mustSucceed(await checked(tool(ref), ['status', String(ref.id)]));
      const word = parseStatusLine(fallback.stdout);
      if (!word) throw new TransientError(`${tool(ref)} status ${ref.id} printed no status line`);
      return {
        kind: ref.kind,
        id: ref.id,
        name: null,
        power: toPowerState(word),
        powerDetail: word,
        uptimeSeconds: null,
        cpuPercent: null,
      };
    },
    start: power('start'),
    shutdown: power('shutdown'),
    stop: power('stop'),
    async readContainerFile(ctid, file, maxBytes, timeoutMs) {
      const result = await checked(
        'pct',
        ['exec', String(ctid), '--', 'cat', '--', file],
        timeoutMs,
        maxBytes,
      );
      if (result.truncated)
        throw new GuestAgentError('too_large', `${file} is larger than ${maxBytes} bytes`);
      if (result.timedOut)
        throw new GuestAgentError('timeout', `reading ${file} in container ${ctid} timed out`);
      if (result.exitCode !== 0) {
        const code = /No such file or directory/.test(result.stderr)
          ? 'no_file'
          : /not running/.test(result.stderr)
            ? 'agent_down'
            : 'refused';
        throw new GuestAgentError(code, describeFailure(result));
      }
      return result.stdoutBytes;
    },
    async containerExec(ctid, argv, opts): Promise<ExecResult> {
      const result = await checked(
        'pct',
        ['exec', String(ctid), '--', ...argv],
        opts.timeoutMs,
        opts.maxOutputBytes,
      );
      if (result.timedOut) throw new GuestAgentError('timeout', `${argv[0]} in container ${ctid} timed out`);
      return {
        exitCode: result.exitCode,
        signal: null,
        stdout: result.stdoutBytes,
        stderr: result.stderr,
        truncated: result.truncated,
      };
    },
  };
}
