/**
 * A client for the QEMU guest agent on the host end of its virtio-serial chardev.
 *
 * QEMU serves that chardev to one client at a time and only notices a hang-up once the guest reads, so this
 * client connects ONCE and resynchronises in-band: 0xFF + guest-sync-delimited every 500 ms until one of its
 * ids comes back, then one more sync round so that every stale reply queued before it is flushed. Requests
 * go one at a time; sync ids are kept so a late sync reply is never taken for a command's answer.
 * Everything the guest sends is untrusted: lines are capped and replies are only ever parsed as data.
 */
import { randomInt } from 'crypto';
import type * as net from 'net';
import { sleep, systemClock } from '../../common/clock';
import { LineSplitter, parseObject, replyError } from './json-lines';
import { connectOnce } from './unix-socket';

/** qemu-ga caps captured output at 16 MiB per stream, which base64 and JSON make about 22 MiB. */
const MAX_LINE_BYTES = 48 * 1024 * 1024;
const SYNC_RESEND_MS = 500;

export interface ExecResult {
  exitCode: number | null;
  signal: number | null;
  stdout: string;
  stderr: string;
  outTruncated: boolean;
}

export interface ExecOptions {
  timeoutMs?: number;
  input?: string;
  env?: string[];
}

type Waiter = { accept: (msg: Record<string, unknown>) => boolean };

export class QgaClient {
  private waiter: Waiter | null = null;
  private readonly syncIds = new Set<number>();
  private chain: Promise<unknown> = Promise.resolve();
  private inSync = false;
  private closed = false;
  private closeListeners: (() => void)[] = [];

  private constructor(
    private readonly socket: net.Socket,
    readonly socketPath: string,
  ) {
    const splitter = new LineSplitter(
      (line) => this.onLine(line),
      () => socket.destroy(new Error(`qemu-ga sent a line over ${MAX_LINE_BYTES} bytes`)),
      MAX_LINE_BYTES,
    );
    socket.on('data', (chunk: Buffer) => splitter.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      for (const l of this.closeListeners) l();
      this.closeListeners = [];
    });
  }

  /** One connection, never retried in a loop (see the module comment); then in-band sync. */
  static async connect(socketPath: string, timeoutMs: number): Promise<QgaClient> {
    const deadline = Date.now() + timeoutMs;
    const client = new QgaClient(await connectOnce(socketPath, timeoutMs), socketPath);
    try {
      await client.sync(Math.max(1, deadline - Date.now()));
    } catch (e) {
      client.close();
      throw e;
    }
    return client;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }

  private onLine(line: string): void {
    const msg = parseObject(line);
    if (!msg || !this.waiter) return;
    if (this.waiter.accept(msg)) this.waiter = null;
  }

  private isStaleSync(msg: Record<string, unknown>): boolean {
    return typeof msg.return === 'number' && this.syncIds.has(msg.return);
  }

  private onClosed(listener: () => void): () => void {
    if (this.closed) {
      listener();
      return () => undefined;
    }
    this.closeListeners.push(listener);
    return () => {
      this.closeListeners = this.closeListeners.filter((l) => l !== listener);
    };
  }

  /** Runs `body` after every earlier request finished: one request on the wire at a time. */
  private serial<T>(body: () => Promise<T>): Promise<T> {
    const next = this.chain.then(body, body);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Writes `payload` and resolves with the first message `accept` takes; every wait has a deadline. */
  private exchange(
    what: string,
    payload: Buffer | string | null,
    accept: (msg: Record<string, unknown>) => boolean,
    timeoutMs: number,
  ): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      let offClose = () => undefined as void;
      const timer = setTimeout(() => {
        this.waiter = null;
        offClose();
        this.inSync = false;
        reject(new Error(`${what}: no reply from qemu-ga within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = {
        accept: (msg) => {
          if (!accept(msg)) return false;
          clearTimeout(timer);
          offClose();
          resolve(msg);
          return true;
        },
      };
      offClose = this.onClosed(() => {
        clearTimeout(timer);
        this.waiter = null;
        reject(new Error(`${what}: the guest agent connection closed`));
      });
      if (payload !== null && !this.closed) this.socket.write(payload);
    });
  }

  private newSyncId(): number {
    const id = randomInt(1, 2 ** 47);
    this.syncIds.add(id);
    return id;
  }

  /** Brings the stream to a known state; see the module comment. */
  sync(timeoutMs: number): Promise<void> {
    return this.serial(() => this.syncNow(timeoutMs));
  }

  private async syncNow(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const sent = new Set<number>();
    const send = () => {
      const id = this.newSyncId();
      sent.add(id);
      this.socket.write(
        Buffer.concat([
          Buffer.from([0xff]),
          Buffer.from(`${JSON.stringify({ execute: 'guest-sync-delimited', arguments: { id } })}\n`),
        ]),
      );
    };
    const answered = this.exchange(
      'guest-sync-delimited',
      null,
      (msg) => typeof msg.return === 'number' && sent.has(msg.return),
      timeoutMs,
    );
    send();
    const resend = setInterval(() => {
      if (!this.closed) send();
    }, SYNC_RESEND_MS);
    try {
      await answered;
    } finally {
      clearInterval(resend);
    }
    const id = this.newSyncId();
    await this.exchange(
      'guest-sync-delimited',
      `${JSON.stringify({ execute: 'guest-sync-delimited', arguments: { id } })}\n`,
      (msg) => msg.return === id,
      Math.max(1, deadline - Date.now()),
    );
    this.inSync = true;
  }

  /** One command and its reply (`return` value); an `error` reply rejects with ProtocolReplyError. */
  execute<T = unknown>(command: string, args?: Record<string, unknown>, timeoutMs = 10_000): Promise<T> {
    return this.serial(async () => {
      const deadline = Date.now() + timeoutMs;
      if (!this.inSync) await this.syncNow(timeoutMs);
      const reply = await this.exchange(
        command,
        `${JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}) })}\n`,
        (msg) => !this.isStaleSync(msg) && ('return' in msg || 'error' in msg),
        Math.max(1, deadline - Date.now()),
      );
      const error = replyError(command, reply);
      if (error) throw error;
      return reply.return as T;
    });
  }

  /**
   * For guest-shutdown and guest-suspend-*, which answer only on failure: rejects on an error reply, resolves
   * when the connection closes (QEMU exited) or `timeoutMs` passes without an answer.
   */
  executeNoReply(
    command: string,
    args: Record<string, unknown> | undefined,
    timeoutMs: number,
  ): Promise<void> {
    return this.serial(async () => {
      const deadline = Date.now() + timeoutMs;
      if (!this.inSync) await this.syncNow(timeoutMs);
      let reply: Record<string, unknown>;
      try {
        reply = await this.exchange(
          command,
          `${JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}) })}\n`,
          (msg) => !this.isStaleSync(msg) && ('return' in msg || 'error' in msg),
          Math.max(1, deadline - Date.now()),
        );
      } catch {
        return;
      }
      const error = replyError(command, reply);
      if (error) throw error;
    });
  }

  async ping(timeoutMs = 10_000): Promise<void> {
    await this.execute('guest-ping', undefined, timeoutMs);
  }

  /** Runs a program in the guest (no shell unless you ask for one) and waits for it, polling its status. */
  async exec(path: string, args: string[] = [], options: ExecOptions = {}): Promise<ExecResult> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    const started = await this.execute<{ pid: number }>(
      'guest-exec',
      {
        path,
        arg: args,
        'capture-output': true,
        ...(options.env ? { env: options.env } : {}),
        ...(options.input !== undefined
          ? { 'input-data': Buffer.from(options.input).toString('base64') }
          : {}),
      },
      timeoutMs,
    );
    for (let pollMs = 50; ; pollMs = Math.min(pollMs * 2, 500)) {
      const status = await this.execute<Record<string, unknown>>(
        'guest-exec-status',
        { pid: started.pid },
        Math.max(1, deadline - Date.now()),
      );
      if (status.exited === true) {
        const decode = (v: unknown) =>
          typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : '';
        return {
          exitCode: typeof status.exitcode === 'number' ? status.exitcode : null,
          signal: typeof status.signal === 'number' ? status.signal : null,
          stdout: decode(status['out-data']),
          stderr: decode(status['err-data']),
          outTruncated: status['out-truncated'] === true || status['err-truncated'] === true,
        };
      }
      if (Date.now() >= deadline)
        throw new Error(`guest-exec ${path}: still running after ${timeoutMs} ms (guest PID ${started.pid})`);
      await sleep(systemClock, Math.min(pollMs, Math.max(1, deadline - Date.now())));
    }
  }

  /** A guest file's bytes; refuses files over `maxBytes`. */
  async readFile(path: string, options: { maxBytes?: number; timeoutMs?: number } = {}): Promise<Buffer> {
    const maxBytes = options.maxBytes ?? 1024 * 1024;
    const timeoutMs = options.timeoutMs ?? 10_000;
    const handle = await this.execute<number>('guest-file-open', { path, mode: 'r' }, timeoutMs);
    try {
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const r = await this.execute<{ count: number; 'buf-b64': string; eof: boolean }>(
          'guest-file-read',
          { handle, count: 65536 },
          timeoutMs,
        );
        const chunk = Buffer.from(r['buf-b64'] ?? '', 'base64');
        total += chunk.length;
        if (total > maxBytes) throw new Error(`guest file ${path} is larger than ${maxBytes} bytes`);
        chunks.push(chunk);
        if (r.eof || chunk.length === 0) return Buffer.concat(chunks);
      }
    } finally {
      await this.execute('guest-file-close', { handle }, timeoutMs).catch(() => undefined);
    }
  }

  suspendDisk(timeoutMs: number): Promise<void> {
    return this.executeNoReply('guest-suspend-disk', undefined, timeoutMs);
  }

  shutdown(timeoutMs: number, mode: 'powerdown' | 'halt' | 'reboot' = 'powerdown'): Promise<void> {
    return this.executeNoReply('guest-shutdown', { mode }, timeoutMs);
  }
}
