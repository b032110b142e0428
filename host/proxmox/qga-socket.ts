/**
 * A direct client for a VM's QEMU guest agent socket (`<QGA_SOCKET_DIR>/<vmid>.qga`).
 *
 * QEMU serves that socket to one client at a time and Proxmox opens it for every one of its own calls, so
 * each exchange here is one short connection: connect, 0xFF + guest-sync-delimited, the commands of one
 * operation, close. Accesses to the same VM are serialised inside this process. Replies are parsed as the
 * protocol demands: everything up to the 0xFF the agent puts before the sync reply is discarded (that includes
 * the parse error the agent prints for our own 0xFF, and any reply left over from an earlier client).
 */
import { randomInt } from 'crypto';
import * as net from 'net';
import * as path from 'path';
import { sleep, systemClock, type Clock } from '../../common/clock';
import { sanitizeForLog } from '../../common/sanitize';
import {
  GuestAgentError,
  type AgentCommand,
  type ExecOptions,
  type ExecResult,
  type GuestAgent,
} from './types';
import { FileReadSchema } from './pve-output';

/** Refuse a single reply line longer than this (a 64 KiB file read is about 88 KB of base64). */
const MAX_LINE_BYTES = 4 * 1024 * 1024;
const SENTINEL = 0xff;

export interface QgaSession {
  /** Sends one command and returns its `return` value; an `error` reply throws GuestAgentError. */
  call(execute: string, args?: Record<string, unknown>): Promise<unknown>;
}

/**
 * Opens the socket, synchronises, runs `body`, closes. The whole exchange (connect included) must finish
 * within `timeoutMs`, else it fails with code `timeout` and the connection is dropped.
 */
export function qgaExchange<T>(
  socketPath: string,
  timeoutMs: number,
  body: (session: QgaSession) => Promise<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const socket = net.createConnection({ path: socketPath });
    let buffer: Buffer = Buffer.alloc(0);
    let waiter: { resolve: (line: Buffer) => void; reject: (e: Error) => void } | null = null;
    let failure: Error | null = null;
    let settled = false;

    const finish = (error: Error | null, value?: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(value as T);
    };
    const fail = (error: Error) => {
      failure = error;
      if (waiter) {
        const w = waiter;
        waiter = null;
        w.reject(error);
      }
      finish(error);
    };
    const timer = setTimeout(
      () => fail(new GuestAgentError('timeout', `guest agent did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );

    const takeLine = (): Buffer | null => {
      const nl = buffer.indexOf(0x0a);
      if (nl < 0) return null;
      const line = buffer.subarray(0, nl);
      buffer = buffer.subarray(nl + 1);
      return line;
    };
    const nextLine = (): Promise<Buffer> => {
      if (failure) return Promise.reject(failure);
      const line = takeLine();
      if (line) return Promise.resolve(line);
      return new Promise((res, rej) => (waiter = { resolve: res, reject: rej }));
    };

    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      if (buffer.length > MAX_LINE_BYTES && buffer.indexOf(0x0a) < 0) {
        fail(new GuestAgentError('bad_reply', `guest agent reply longer than ${MAX_LINE_BYTES} bytes`));
        return;
      }
      if (waiter) {
        const line = takeLine();
        if (line) {
          const w = waiter;
          waiter = null;
          w.resolve(line);
        }
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // A reset or broken pipe is the agent going away mid-exchange (its guest hibernated or powered off).
      const gone = ['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(e.code ?? '');
      const code = gone ? 'agent_down' : 'bad_reply';
      const why =
        e.code === 'ENOENT'
          ? `no guest agent socket at ${socketPath} (VM not running, or agent not enabled in its config)`
          : e.code === 'ECONNREFUSED'
            ? `nobody listens on ${socketPath} (VM not running)`
            : `guest agent socket ${socketPath}: ${e.message}`;
      fail(new GuestAgentError(code, why));
    });
    socket.on('close', () => {
      if (!settled) fail(new GuestAgentError('agent_down', 'guest agent closed the connection'));
    });

    // Requests are written at once and their replies read in order, so commands that do not depend on an
    // earlier answer (the sync and the first command; a read and its close) share one round trip.
    let replies: Promise<unknown> = Promise.resolve();
    const inOrder = <R>(read: () => Promise<R>): Promise<R> => {
      const next = replies.then(read);
      replies = next.catch(() => undefined);
      return next;
    };

    // Writes made in the same turn (the sync and the first command; a read and its close) go out as one.
    let pending: Buffer[] = [];
    const send = (data: Buffer | string) => {
      if (pending.length === 0)
        process.nextTick(() => {
          const out = pending.length === 1 ? pending[0] : Buffer.concat(pending);
          pending = [];
          if (!socket.destroyed) socket.write(out);
        });
      pending.push(typeof data === 'string' ? Buffer.from(data) : data);
    };

    const id = randomInt(1, 2 ** 31 - 1);
    const synced = inOrder(async () => {
      // Discard everything up to the last 0xFF in what arrives, then expect {"return": id}.
      for (;;) {
        let line = await nextLine();
        const ff = line.lastIndexOf(SENTINEL);
        if (ff >= 0) line = line.subarray(ff + 1);
        else continue;
        const reply = parseJson(line);
        if (reply && typeof reply === 'object' && (reply as { return?: unknown }).return === id) return;
      }
    });
    synced.catch(() => undefined);

    const session: QgaSession = {
      call(execute, args) {
        send(`${JSON.stringify(args ? { execute, arguments: args } : { execute })}\n`);
        return inOrder(async () => {
          const reply = parseJson(await nextLine());
          if (!reply || typeof reply !== 'object')
            throw new GuestAgentError('bad_reply', `${execute}: reply is not a JSON object`);
          const r = reply as { return?: unknown; error?: { class?: unknown; desc?: unknown } };
          if ('error' in r) throw agentError(execute, r.error);
          if (!('return' in r)) throw new GuestAgentError('bad_reply', `${execute}: reply has no "return"`);
          return r.return;
        });
      },
    };

    socket.once('connect', () => {
      send(Buffer.from([SENTINEL]));
      send(`${JSON.stringify({ execute: 'guest-sync-delimited', arguments: { id } })}\n`);
      body(session).then(
        (value) => finish(null, value),
        (e: Error) => finish(e),
      );
    });
  });
}

function parseJson(line: Buffer): unknown {
  try {
    return JSON.parse(line.toString('utf8'));
  } catch {
    return null;
  }
}

function agentError(
  execute: string,
  error: { class?: unknown; desc?: unknown } | undefined,
): GuestAgentError {
  const cls = typeof error?.class === 'string' ? error.class : 'Error';
  const desc = sanitizeForLog(typeof error?.desc === 'string' ? error.desc : 'no description', 300);
  if (/No such file or directory|not found/i.test(desc) && execute === 'guest-file-open')
    return new GuestAgentError('no_file', `${execute}: ${desc}`);
  return new GuestAgentError('refused', `${execute}: ${cls}: ${desc}`);
}

type ReadReply = { count?: unknown; 'buf-b64'?: unknown; eof?: unknown };

function chunkOf(r: ReadReply): { bytes: Buffer; eof: boolean } {
  if (!r || typeof r['buf-b64'] !== 'string')
    throw new GuestAgentError('bad_reply', 'guest-file-read: reply without buf-b64');
  return { bytes: Buffer.from(r['buf-b64'], 'base64'), eof: r.eof === true };
}

/**
 * Reads a whole file through an open session, closing the handle in every case. The common case (the file
 * fits in one read) takes two round trips: open, then read and close together. An agent that returns less
 * than asked without reaching the end (some cap each read) gets the rest read in further steps.
 */
export async function readFileInSession(
  session: QgaSession,
  file: string,
  maxBytes: number,
): Promise<Buffer> {
  const open = async () => {
    const handle = await session.call('guest-file-open', { path: file, mode: 'r' });
    if (typeof handle !== 'number') throw new GuestAgentError('bad_reply', 'guest-file-open: no handle');
    return handle;
  };
  const tooLarge = () => new GuestAgentError('too_large', `${file} is larger than ${maxBytes} bytes`);

  let handle = await open();
  const reading = session.call('guest-file-read', { handle, count: maxBytes + 1 });
  const closing = session.call('guest-file-close', { handle });
  closing.catch(() => undefined);
  let first: { bytes: Buffer; eof: boolean };
  try {
    first = chunkOf((await reading) as ReadReply);
  } finally {
    await closing.catch(() => undefined);
  }
  if (first.bytes.length > maxBytes) throw tooLarge();
  if (first.eof || first.bytes.length === 0) return first.bytes;

  const chunks = [first.bytes];
  let total = first.bytes.length;
  handle = await open();
  try {
    await session.call('guest-file-seek', { handle, offset: total, whence: 'set' });
    for (;;) {
      const chunk = chunkOf(
        (await session.call('guest-file-read', { handle, count: maxBytes + 1 - total })) as ReadReply,
      );
      chunks.push(chunk.bytes);
      total += chunk.bytes.length;
      if (total > maxBytes) throw tooLarge();
      if (chunk.eof || chunk.bytes.length === 0) break;
    }
  } finally {
    await session.call('guest-file-close', { handle }).catch(() => undefined);
  }
  return Buffer.concat(chunks);
}

export interface SocketAgentOptions {
  socketDir: string;
  clock?: Clock;
}

/** GUEST_AGENT_ACCESS=socket. */
export function createSocketAgent(options: SocketAgentOptions): GuestAgent {
  const clock = options.clock ?? systemClock;
  const queues = new Map<number, Promise<unknown>>();
  const socketOf = (vmid: number) => path.join(options.socketDir, `${vmid}.qga`);
  /** One exchange at a time per VM, so we never queue behind ourselves on QEMU's one-client socket. */
  const serial = <T>(vmid: number, fn: () => Promise<T>): Promise<T> => {
    const prev = queues.get(vmid) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    queues.set(vmid, tail);
    void tail.then(() => {
      if (queues.get(vmid) === tail) queues.delete(vmid);
    });
    return next;
  };
  const exchange = <T>(vmid: number, timeoutMs: number, body: (s: QgaSession) => Promise<T>) =>
    serial(vmid, () => qgaExchange(socketOf(vmid), timeoutMs, body));

  return {
    access: 'socket',
    command(vmid, name: AgentCommand, timeoutMs) {
      return exchange(vmid, timeoutMs, (s) => s.call(`guest-${name}`));
    },
    readFile(vmid, file, maxBytes, timeoutMs) {
      return exchange(vmid, timeoutMs, (s) => readFileInSession(s, file, maxBytes));
    },
    async suspendDisk(vmid, timeoutMs) {
      let reached = false;
      // An error answer comes at once; success is silence (or the connection closing as the guest goes).
      const answerWindowMs = Math.min(timeoutMs, 3000);
      try {
        await exchange(vmid, timeoutMs, async (s) => {
          await s.call('guest-ping');
          reached = true;
          const silent = new Promise<'silent'>((resolve) => {
            const timer = setTimeout(() => resolve('silent'), answerWindowMs);
            timer.unref?.();
          });
          const asked = s.call('guest-suspend-disk');
          asked.catch(() => undefined);
          await Promise.race([asked, silent]);
        });
      } catch (e) {
        if (reached && e instanceof GuestAgentError && (e.code === 'agent_down' || e.code === 'timeout'))
          return 'sent';
        throw e;
      }
      return 'sent';
    },
    setTime(vmid, epochMs, timeoutMs) {
      // Nanoseconds since the epoch; the agent also writes the guest's hardware clock.
      return exchange(vmid, timeoutMs, async (s) => {
        await s.call('guest-set-time', { time: Math.round(epochMs) * 1_000_000 });
      });
    },
    async exec(vmid, argv, opts: ExecOptions): Promise<ExecResult> {
      const deadline = clock.now() + opts.timeoutMs;
      const remaining = () => Math.max(1, deadline - clock.now());
      const args: Record<string, unknown> = {
        path: argv[0],
        arg: argv.slice(1),
        'capture-output': true,
      };
      if (opts.input !== undefined) args['input-data'] = Buffer.from(opts.input).toString('base64');
      const started = (await exchange(vmid, remaining(), (s) => s.call('guest-exec', args))) as {
        pid?: unknown;
      };
      if (typeof started?.pid !== 'number') throw new GuestAgentError('bad_reply', 'guest-exec: no pid');
      let pause = 5;
      for (;;) {
        let status: Record<string, unknown>;
        try {
          status = (await exchange(vmid, remaining(), (s) =>
            s.call('guest-exec-status', { pid: started.pid }),
          )) as Record<string, unknown>;
        } catch (e) {
          // The program runs (it has a pid). Losing the agent now, e.g. because that program made the guest
          // hibernate or power off before it exited, leaves its end unknown: not "never ran".
          if (e instanceof GuestAgentError && e.code === 'agent_down')
            throw new GuestAgentError(
              'timeout',
              `${argv[0]} started (guest pid ${started.pid}), then the guest agent went away before it finished: ${e.message}`,
            );
          throw e;
        }
        if (status?.exited === true) return execResultFrom(status, opts.maxOutputBytes, 'base64');
        if (clock.now() + pause >= deadline)
          throw new GuestAgentError('timeout', `${argv[0]} did not finish within ${opts.timeoutMs} ms`);
        await sleep(clock, pause);
        pause = Math.min(pause * 2, 200);
      }
    },
  };
}

/** Builds an ExecResult from a guest-exec-status reply (base64 from the agent, decoded text from Proxmox). */
export function execResultFrom(
  status: Record<string, unknown>,
  maxOutputBytes: number,
  encoding: 'base64' | 'proxmox-decoded',
): ExecResult {
  const data = (v: unknown): Buffer =>
    typeof v !== 'string'
      ? Buffer.alloc(0)
      : encoding === 'base64'
        ? Buffer.from(v, 'base64')
        : bytesFromProxmoxText(v);
  const stdout = data(status['out-data']);
  const stderr = data(status['err-data']);
  const truthy = (v: unknown) => v === true || v === 1;
  return {
    exitCode: typeof status.exitcode === 'number' ? status.exitcode : null,
    signal: typeof status.signal === 'number' ? status.signal : null,
    stdout: stdout.subarray(0, maxOutputBytes),
    stderr: stderr.subarray(0, 64 * 1024).toString('utf8'),
    truncated: truthy(status['out-truncated']) || stdout.length > maxOutputBytes,
  };
}

/**
 * Proxmox decodes the agent's base64 and JSON-encodes the raw bytes as if each byte were a character, so
 * UTF-8 text arrives double-encoded. If every character fits in a byte and those bytes are valid UTF-8,
 * that is what happened; otherwise the text was decoded properly and is re-encoded as UTF-8.
 */
export function bytesFromProxmoxText(text: string): Buffer {
  if (/^[\u0000-\u00ff]*$/.test(text)) {
    const raw = Buffer.from(text, 'latin1');
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(raw);
      return raw;
    } catch {
      return Buffer.from(text, 'utf8');
    }
  }
  return Buffer.from(text, 'utf8');
}

/** The bytes of a Proxmox `agent/file-read` answer (pvesh or REST), refusing a cut or oversized file. */
export function fileReadBytes(answer: unknown, file: string, maxBytes: number, what: string): Buffer {
  const parsed = FileReadSchema.safeParse(answer);
  if (!parsed.success) throw new GuestAgentError('bad_reply', `${what}: unexpected answer`);
  const tooLarge = () => new GuestAgentError('too_large', `${file} is larger than ${maxBytes} bytes`);
  if (parsed.data.truncated === 1 || parsed.data.truncated === true) throw tooLarge();
  const bytes = bytesFromProxmoxText(parsed.data.content);
  if (bytes.length > maxBytes) throw tooLarge();
  return bytes;
}
