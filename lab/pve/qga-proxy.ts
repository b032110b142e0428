/**
 * One guest-agent exchange the way qemu-server does it: connect, guest-sync-delimited (no leading 0xFF),
 * the command, close. The lab's qm/pvesh (and the fake REST API in the tests) pass agent calls to a real
 * qemu-ga with it.
 */
import * as net from 'net';

export class QgaProxyError extends Error {
  constructor(
    message: string,
    /** The connection closed before a reply: what Proxmox counts as success for suspend/shutdown. */
    readonly eof = false,
  ) {
    super(message);
    this.name = 'QgaProxyError';
  }
}

export function qga(
  socketPath: string,
  execute: string,
  args?: Record<string, unknown>,
  timeoutMs = 5000,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ path: socketPath });
    const id = Math.floor(Math.random() * 1e9);
    let buf = Buffer.alloc(0);
    let synced = false;
    let done = false;
    const finish = (error: Error | null, value?: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(value);
    };
    const timer = setTimeout(() => finish(new QgaProxyError('got timeout')), timeoutMs);
    socket.on('error', (e) => finish(e));
    socket.on('close', () => finish(new QgaProxyError('connection closed', synced)));
    socket.on('connect', () => {
      const cmd = args ? { execute, arguments: args } : { execute };
      socket.write(
        `${JSON.stringify({ execute: 'guest-sync-delimited', arguments: { id } })}\n${JSON.stringify(cmd)}\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (!synced) {
          const ff = buf.indexOf(0xff);
          if (ff < 0) return;
          buf = buf.subarray(ff + 1);
        }
        const nl = buf.indexOf(0x0a);
        if (nl < 0) return;
        const line = buf.subarray(0, nl).toString('utf8');
        buf = buf.subarray(nl + 1);
        let reply: { return?: unknown; error?: { desc?: string } };
        try {
          reply = JSON.parse(line) as typeof reply;
        } catch {
          continue;
        }
        if (!synced) {
          if (reply.return === id) synced = true;
          continue;
        }
        if (reply.error) finish(new QgaProxyError(String(reply.error.desc)));
        else finish(null, reply.return);
        return;
      }
    });
  });
}
