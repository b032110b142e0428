/**
 * A small HTTPS JSON client for the Proxmox API: keep-alive, at most `maxInFlight` requests at once (pvedaemon
 * has 3 workers), a timeout on every request, and either certificate fingerprint pinning or a CA file.
 * With pinning, the connection is handed to the HTTP layer only after the fingerprint matched, so the token
 * is never sent to a server that is not the pinned one.
 */
import { readFileSync } from 'fs';
import * as https from 'https';
import type * as net from 'net';
import * as tls from 'tls';
import { TransientError, UnavailableError } from '../../common/errors';

export interface HttpsClientOptions {
  baseUrl: string;
  /** `USER@REALM!TOKENID=SECRET`. */
  token: string;
  /** SHA-256 fingerprint (AA:BB:… or hex) to pin; when empty the CA file is trusted. */
  fingerprint?: string;
  /** PEM CA bundle used when no fingerprint is pinned (default /etc/pve/pve-root-ca.pem when present). */
  caFile?: string;
  maxInFlight?: number;
  timeoutMs?: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface HttpsJsonClient {
  request(
    method: 'GET' | 'POST',
    path: string,
    params?: Record<string, unknown>,
    timeoutMs?: number,
  ): Promise<unknown>;
  /** Distinct TLS connections opened so far (keep-alive makes this small). */
  connectionsOpened(): number;
  close(): void;
}

export function normalizeFingerprint(fp: string): string {
  return fp.replace(/:/g, '').toUpperCase();
}

export function createHttpsClient(options: HttpsClientOptions): HttpsJsonClient {
  const base = new URL(options.baseUrl);
  const maxInFlight = options.maxInFlight ?? 3;
  const defaultTimeout = options.timeoutMs ?? 15000;
  const pinned = options.fingerprint ? normalizeFingerprint(options.fingerprint) : null;
  let ca: Buffer | undefined;
  if (!pinned) {
    const caFile = options.caFile ?? '/etc/pve/pve-root-ca.pem';
    try {
      ca = readFileSync(caFile);
    } catch {
      if (options.caFile) throw new UnavailableError(`cannot read the CA file ${caFile}`, caFile);
    }
  }
  let opened = 0;
  const agent = new https.Agent({ keepAlive: true, maxSockets: maxInFlight });
  type Create = (
    opts: tls.ConnectionOptions,
    cb: (err: Error | null, socket?: net.Socket) => void,
  ) => net.Socket | undefined;
  (agent as unknown as { createConnection: Create }).createConnection = (opts, cb) => {
    if (!pinned) {
      opened++;
      return tls.connect({ ...opts, ca, rejectUnauthorized: true });
    }
    const socket = tls.connect({ ...opts, rejectUnauthorized: false });
    const onError = (e: Error) => cb(e);
    socket.once('error', onError);
    socket.once('secureConnect', () => {
      socket.removeListener('error', onError);
      const seen = normalizeFingerprint(socket.getPeerCertificate().fingerprint256 ?? '');
      if (seen !== pinned) {
        socket.destroy();
        cb(
          new UnavailableError(
            `the certificate of ${base.host} has fingerprint ${seen || '(none)'}, not the pinned PROXMOX_API_FINGERPRINT; refusing to send the token`,
            'PROXMOX_API_FINGERPRINT',
          ),
        );
        return;
      }
      opened++;
      cb(null, socket);
    });
    return undefined;
  };

  // Semaphore: requests beyond maxInFlight wait here (the agent would queue them too, but without a bound
  // on how long they wait; here the timeout starts only when the request is sent).
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const acquire = () =>
    inFlight < maxInFlight
      ? (inFlight++, Promise.resolve())
      : new Promise<void>((resolve) => waiting.push(() => (inFlight++, resolve())));
  const release = () => {
    inFlight--;
    waiting.shift()?.();
  };

  const send = (method: 'GET' | 'POST', path: string, params: Record<string, unknown>, timeoutMs: number) =>
    new Promise<unknown>((resolve, reject) => {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) {
        if (v === undefined) continue;
        if (Array.isArray(v)) for (const item of v) form.append(k, String(item));
        else form.append(k, String(v));
      }
      const query = method === 'GET' && [...form.keys()].length ? `?${form.toString()}` : '';
      const body = method === 'POST' ? form.toString() : undefined;
      const req = https.request(
        {
          protocol: 'https:',
          hostname: base.hostname,
          port: base.port || 8006,
          method,
          path: `${base.pathname.replace(/\/$/, '')}/api2/json${path}${query}`,
          agent,
          headers: {
            Authorization: `PVEAPIToken=${options.token}`,
            Accept: 'application/json',
            ...(body !== undefined
              ? {
                  'Content-Type': 'application/x-www-form-urlencoded',
                  'Content-Length': Buffer.byteLength(body),
                }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > 32 * 1024 * 1024) {
              req.destroy(new TransientError(`${path}: response larger than 32 MiB`));
              return;
            }
            chunks.push(c);
          });
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const parsed = parseBody(text);
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) {
              const message =
                (typeof parsed?.message === 'string' && parsed.message.trim()) ||
                res.statusMessage ||
                `HTTP ${status}`;
              const errors = parsed?.errors ? ` ${JSON.stringify(parsed.errors)}` : '';
              reject(new ApiError(status, `${method} ${path}: ${status} ${message}${errors}`));
              return;
            }
            if (!parsed || !('data' in parsed)) {
              reject(new TransientError(`${method} ${path}: the answer is not Proxmox API JSON`));
              return;
            }
            resolve(parsed.data);
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(timeoutMs, () =>
        req.destroy(new TransientError(`${method} ${path}: no answer within ${timeoutMs} ms`)),
      );
      req.on('error', (e) => reject(e));
      if (body !== undefined) req.write(body);
      req.end();
    });

  return {
    async request(method, path, params = {}, timeoutMs = defaultTimeout) {
      await acquire();
      try {
        return await send(method, path, params, timeoutMs);
      } finally {
        release();
      }
    },
    connectionsOpened: () => opened,
    close: () => agent.destroy(),
  };
}

function parseBody(text: string): { data?: unknown; message?: unknown; errors?: unknown } | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
