/**
 * A small D-Bus client over dbus-next, loaded on first use and kept connected between evaluations (one
 * connection per bus address; a broken one is dropped and reopened next time). Calls use plain method-call
 * messages, so no introspection round trip happens per evaluation. Every call has a timeout.
 */
import { existsSync } from 'fs';
import type { MessageBus } from 'dbus-next';
import { UnavailableError } from '../../../common/errors';

export interface DbusCall {
  destination: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: unknown[];
}

export class DbusCallError extends Error {
  constructor(
    message: string,
    /** The D-Bus error name, e.g. org.freedesktop.DBus.Error.ServiceUnknown. */
    readonly type: string | null,
  ) {
    super(message);
    this.name = 'DbusCallError';
  }
}

export const SYSTEM_BUS_DEFAULT = 'unix:path=/run/dbus/system_bus_socket';

export function systemBusAddress(env: NodeJS.ProcessEnv = process.env): string {
  return env.DBUS_SYSTEM_BUS_ADDRESS || SYSTEM_BUS_DEFAULT;
}

/** The socket path of a `unix:path=…` address, or null for other transports. */
export function unixSocketPath(address: string): string | null {
  const first = address.split(';')[0];
  if (!first.startsWith('unix:')) return null;
  for (const part of first.slice(5).split(',')) {
    const [key, value] = part.split('=');
    if (key === 'path' && value) return decodeURIComponent(value);
  }
  return null;
}

/** False when the address is a unix socket that does not exist (no bus here: nothing to connect to). */
export function busExists(address: string): boolean {
  const socket = unixSocketPath(address);
  return socket === null || existsSync(socket);
}

export interface DbusPool {
  call(
    address: string,
    message: DbusCall,
    options: { signal: AbortSignal; timeoutMs?: number },
  ): Promise<unknown[]>;
  close(): Promise<void>;
}

export function createDbusPool(): DbusPool {
  const buses = new Map<string, MessageBus>();
  let dbus: typeof import('dbus-next') | null = null;

  const busFor = async (address: string): Promise<MessageBus> => {
    const known = buses.get(address);
    if (known) return known;
    if (!busExists(address))
      throw new UnavailableError(`no D-Bus socket at ${unixSocketPath(address)}`, 'dbus');
    dbus ??= await import('dbus-next');
    const bus = dbus.sessionBus({ busAddress: address });
    const drop = () => {
      if (buses.get(address) === bus) buses.delete(address);
    };
    bus.on('error', drop);
    (bus as unknown as NodeJS.EventEmitter).once('disconnect', drop);
    buses.set(address, bus);
    return bus;
  };

  return {
    async call(address, message, { signal, timeoutMs = 3000 }) {
      const bus = await busFor(address);
      const { Message } = dbus!;
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      try {
        const reply = await Promise.race([
          bus.call(new Message(message)),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              // A bus that does not answer is not reused.
              buses.delete(address);
              bus.disconnect();
              reject(new DbusCallError(`D-Bus call ${message.interface}.${message.member} timed out`, null));
            }, timeoutMs);
            onAbort = () => reject(signal.reason ?? new Error('aborted'));
            if (signal.aborted) onAbort();
            signal.addEventListener('abort', onAbort, { once: true });
          }),
        ]);
        return reply?.body ?? [];
      } catch (e) {
        if (e instanceof DbusCallError) throw e;
        const type = (e as { type?: unknown }).type;
        if (typeof type === 'string') throw new DbusCallError(`${type}: ${(e as Error).message}`, type);
        if (!(e instanceof Error && e === signal.reason)) buses.delete(address);
        throw e;
      } finally {
        if (timer) clearTimeout(timer);
        if (onAbort) signal.removeEventListener('abort', onAbort);
      }
    },
    async close() {
      for (const bus of buses.values()) bus.disconnect();
      buses.clear();
    },
  };
}

/** uint64 values arrive as BigInt; everything numeric becomes a plain number. */
export function toNumber(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  if (value !== null && typeof value === 'object' && 'toNumber' in value)
    return (value as { toNumber(): number }).toNumber();
  return Number.NaN;
}

/** The value inside a Variant (GetAll returns a{sv}). */
export function unwrap(value: unknown): unknown {
  return value !== null && typeof value === 'object' && 'value' in value && 'signature' in value
    ? (value as { value: unknown }).value
    : value;
}
