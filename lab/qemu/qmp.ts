/**
 * A QMP client: greeting + qmp_capabilities, commands matched by id, events kept in order and waitable.
 * QEMU's monitor always reads, so connecting early and retrying is safe here (unlike the QGA socket).
 */
import type * as net from 'net';
import { LineSplitter, parseObject, replyError } from './json-lines';
import { connectWhenListening } from './unix-socket';

export interface QmpEvent {
  event: string;
  data: Record<string, unknown>;
  /** Host time when the event arrived (ms since the epoch). */
  at: number;
}

interface Pending {
  command: string;
  resolve: (value: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

type EventWaiter = { match: (e: QmpEvent) => boolean; resolve: (e: QmpEvent) => void };

export class QmpClient {
  readonly events: QmpEvent[] = [];
  private readonly pending = new Map<number, Pending>();
  private waiters: EventWaiter[] = [];
  private closeWaiters: (() => void)[] = [];
  private nextId = 1;
  private closed = false;

  private constructor(
    private readonly socket: net.Socket,
    readonly socketPath: string,
  ) {
    const splitter = new LineSplitter(
      (line) => this.onLine(line),
      () => socket.destroy(new Error('QMP line too long')),
      16 * 1024 * 1024,
    );
    socket.on('data', (chunk: Buffer) => splitter.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => this.onClose());
  }

  /** Connects (retrying until the socket listens), waits for the greeting and negotiates capabilities. */
  static async connect(socketPath: string, timeoutMs: number): Promise<QmpClient> {
    const deadline = Date.now() + timeoutMs;
    const socket = await connectWhenListening(socketPath, timeoutMs);
    const client = new QmpClient(socket, socketPath);
    try {
      await client.greeting(Math.max(1, deadline - Date.now()));
      await client.execute('qmp_capabilities', undefined, Math.max(1, deadline - Date.now()));
    } catch (e) {
      client.close();
      throw e;
    }
    return client;
  }

  private greetingResolve?: () => void;
  private greeted = false;

  private greeting(timeoutMs: number): Promise<void> {
    if (this.greeted) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no QMP greeting on ${this.socketPath} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.greetingResolve = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private onLine(line: string): void {
    const msg = parseObject(line);
    if (!msg) return;
    if ('QMP' in msg) {
      this.greeted = true;
      this.greetingResolve?.();
      return;
    }
    if (typeof msg.event === 'string') {
      const event: QmpEvent = {
        event: msg.event,
        data: (msg.data as Record<string, unknown>) ?? {},
        at: Date.now(),
      };
      this.events.push(event);
      const ready = this.waiters.filter((w) => w.match(event));
      this.waiters = this.waiters.filter((w) => !w.match(event));
      for (const w of ready) w.resolve(event);
      return;
    }
    const id = typeof msg.id === 'number' ? msg.id : NaN;
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    const error = replyError(p.command, msg);
    if (error) p.reject(error);
    else p.resolve(msg.return);
  }

  private onClose(): void {
    this.closed = true;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error(`${p.command}: QMP connection closed`));
    }
    this.pending.clear();
    for (const w of this.closeWaiters) w();
    this.closeWaiters = [];
  }

  get isClosed(): boolean {
    return this.closed;
  }

  execute<T = unknown>(command: string, args?: Record<string, unknown>, timeoutMs = 10_000): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`${command}: QMP connection closed`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${command}: no QMP reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { command, resolve: resolve as (v: unknown) => void, reject, timer });
      this.socket.write(
        `${JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}), id })}\n`,
      );
    });
  }

  /** The first event (already received or still to come) that matches; rejects after `timeoutMs`. */
  waitForEvent(match: (e: QmpEvent) => boolean, timeoutMs: number, what: string): Promise<QmpEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no QMP event ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: EventWaiter = {
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Resolves when QEMU closes the monitor (it exited), or after `timeoutMs` with false. */
  waitForClose(timeoutMs: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.closeWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
