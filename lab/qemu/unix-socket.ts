import * as net from 'net';
import { sleep, systemClock } from '../../common/clock';

/** One connection attempt, bounded by `timeoutMs`. */
export function connectOnce(socketPath: string, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connecting to ${socketPath} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/**
 * Retries while the socket does not exist yet or refuses. Only for sockets whose server always reads (QMP);
 * never for the QGA chardev, which wedges when clients come and go before the guest opens its port.
 */
export async function connectWhenListening(socketPath: string, timeoutMs: number): Promise<net.Socket> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await connectOnce(socketPath, Math.max(1, deadline - Date.now()));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ECONNREFUSED') || Date.now() >= deadline) throw e;
      await sleep(systemClock, 50);
    }
  }
}
