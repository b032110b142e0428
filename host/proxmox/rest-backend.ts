/**
 * The Proxmox REST API backend (PROXMOX_API_URL + PROXMOX_API_TOKEN_FILE): one long-lived keep-alive client,
 * at most 3 calls in flight. The API has no container exec, so container file reads go through `pct`.
 */
import { promises as fs } from 'fs';
import { sleep, systemClock, type Clock } from '../../common/clock';
import { ConfigError, TransientError, errorMessage } from '../../common/errors';
import { ApiError, type HttpsJsonClient } from './https-client';
import { execResultFrom, fileReadBytes } from './qga-socket';
import {
  ExecStatusSchema,
  classifyAgentFailure,
  parseClusterResources,
  parseStatusCurrent,
} from './pve-output';
import {
  GuestAgentError,
  type ExecResult,
  type GuestAgent,
  type GuestRef,
  type PowerOptions,
  type Proxmox,
} from './types';

export interface RestBackendOptions {
  client: HttpsJsonClient;
  node: string;
  /** Used for what the API cannot do (container file reads and exec). */
  containers: Pick<Proxmox, 'readContainerFile' | 'containerExec'>;
  clock?: Clock;
}

const TOKEN_PATTERN = /^[^\s@!=]+@[^\s@!=]+![A-Za-z0-9._-]+=[A-Za-z0-9-]+$/;

/** Reads PROXMOX_API_TOKEN_FILE: one line `USER@REALM!TOKENID=SECRET`. */
export async function readApiToken(file: string): Promise<{ token: string; warnings: string[] }> {
  const warnings: string[] = [];
  let text: string;
  try {
    const stat = await fs.stat(file);
    if ((stat.mode & 0o077) !== 0)
      warnings.push(
        `${file} can be read by other users (mode ${(stat.mode & 0o777).toString(8)}); chmod 600 it`,
      );
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new ConfigError([
      {
        severity: 'error',
        file,
        line: null,
        key: 'PROXMOX_API_TOKEN_FILE',
        message: `cannot be read: ${errorMessage(e)}`,
      },
    ]);
  }
  const token = text.trim();
  if (!TOKEN_PATTERN.test(token))
    throw new ConfigError([
      {
        severity: 'error',
        file,
        line: 1,
        key: 'PROXMOX_API_TOKEN_FILE',
        message: 'must hold one API token as USER@REALM!TOKENID=SECRET (pveum user token add …)',
      },
    ]);
  return { token, warnings };
}

export function createRestBackend(options: RestBackendOptions): Proxmox {
  const { client, node } = options;
  const clock = options.clock ?? systemClock;
  const kindPath = (ref: GuestRef) => `/nodes/${node}/${ref.kind === 'vm' ? 'qemu' : 'lxc'}/${ref.id}`;

  const agentCall = async <T>(vmid: number, what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ApiError)
        throw new GuestAgentError(classifyAgentFailure(e.message), `${what}: ${e.message}`);
      if (e instanceof TransientError && /no answer within/.test(e.message))
        throw new GuestAgentError('timeout', `${what} in VM ${vmid}: ${e.message}`);
      throw e;
    }
  };

  const agent: GuestAgent = {
    access: 'api',
    command(vmid, name, timeoutMs) {
      const method = name === 'ping' ? 'POST' : 'GET';
      return agentCall(vmid, name, async () => {
        const data = (await client.request(
          method,
          `/nodes/${node}/qemu/${vmid}/agent/${name}`,
          {},
          timeoutMs,
        )) as {
          result?: unknown;
        } | null;
        return data?.result ?? {};
      });
    },
    readFile(vmid, file, maxBytes, timeoutMs) {
      return agentCall(vmid, `reading ${file}`, async () => {
        const data = await client.request(
          'GET',
          `/nodes/${node}/qemu/${vmid}/agent/file-read`,
          { file },
          timeoutMs,
        );
        return fileReadBytes(data, file, maxBytes, 'file-read');
      });
    },
    async suspendDisk(vmid, timeoutMs) {
      try {
        await agentCall(vmid, 'suspend-disk', () =>
          client.request('POST', `/nodes/${node}/qemu/${vmid}/agent/suspend-disk`, {}, timeoutMs),
        );
      } catch (e) {
        // No answer is what success looks like (the guest went away before qemu-server heard back).
        if (e instanceof GuestAgentError && e.code === 'timeout') return 'sent';
        throw e;
      }
      return 'sent';
    },
    exec(vmid, argv, opts): Promise<ExecResult> {
      return agentCall(vmid, `exec ${argv[0]}`, async () => {
        const deadline = clock.now() + opts.timeoutMs;
        const params: Record<string, unknown> = { command: [...argv] };
        if (opts.input !== undefined) params['input-data'] = opts.input;
        const started = (await client.request(
          'POST',
          `/nodes/${node}/qemu/${vmid}/agent/exec`,
          params,
          opts.timeoutMs,
        )) as {
          pid?: unknown;
        } | null;
        if (typeof started?.pid !== 'number') throw new GuestAgentError('bad_reply', 'agent/exec: no pid');
        let pause = 20;
        for (;;) {
          const left = deadline - clock.now();
          if (left <= 0)
            throw new GuestAgentError('timeout', `${argv[0]} did not finish within ${opts.timeoutMs} ms`);
          let reply: unknown;
          try {
            reply = await client.request(
              'GET',
              `/nodes/${node}/qemu/${vmid}/agent/exec-status`,
              { pid: started.pid },
              left,
            );
          } catch (e) {
            // The program runs (it has a pid): losing the agent now, e.g. because it made the guest
            // hibernate, leaves its end unknown, not "never ran".
            if (e instanceof ApiError)
              throw new GuestAgentError(
                'timeout',
                `${argv[0]} started (guest pid ${started.pid}), then the guest agent went away before it finished: ${e.message}`,
              );
            throw e;
          }
          const status = ExecStatusSchema.parse(reply) as Record<string, unknown>;
          if (status.exited === 1 || status.exited === true)
            return execResultFrom(status, opts.maxOutputBytes, 'proxmox-decoded');
          await sleep(clock, pause);
          pause = Math.min(pause * 2, 500);
        }
      });
    },
  };

  const power =
    (verb: 'start' | 'shutdown' | 'stop') =>
    async (ref: GuestRef, opts: PowerOptions = {}): Promise<void> => {
      const params: Record<string, unknown> = {};
      if (opts.timeoutSeconds !== undefined && verb !== 'start') params.timeout = opts.timeoutSeconds;
      if (opts.forceStop && verb === 'shutdown') params.forceStop = 1;
      const upid = await client.request('POST', `${kindPath(ref)}/status/${verb}`, params);
      if (typeof upid !== 'string') throw new TransientError(`${verb} ${ref.id}: no task id in the answer`);
      const deadline = clock.now() + (opts.callTimeoutMs ?? (opts.timeoutSeconds ?? 60) * 1000 + 30000);
      for (;;) {
        const task = (await client.request(
          'GET',
          `/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`,
        )) as {
          status?: unknown;
          exitstatus?: unknown;
        } | null;
        if (task?.status === 'stopped') {
          if (task.exitstatus === 'OK') return;
          throw new TransientError(`${verb} ${ref.id} failed: ${String(task.exitstatus)}`);
        }
        if (clock.now() > deadline)
          throw new TransientError(`${verb} ${ref.id}: task ${upid} did not finish in time`);
        await sleep(clock, 500);
      }
    };

  return {
    backend: 'api',
    node,
    agent,
    async listGuests() {
      return parseClusterResources(await client.request('GET', '/cluster/resources', { type: 'vm' }), node);
    },
    async status(ref) {
      return parseStatusCurrent(
        await client.request('GET', `${kindPath(ref)}/status/current`),
        ref.kind,
        ref.id,
      );
    },
    start: power('start'),
    shutdown: power('shutdown'),
    stop: power('stop'),
    readContainerFile: (...args) => options.containers.readContainerFile(...args),
    containerExec: (...args) => options.containers.containerExec(...args),
  };
}
