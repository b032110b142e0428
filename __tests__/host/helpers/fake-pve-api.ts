/**
 * A local HTTPS server that answers like the Proxmox API (`/api2/json/…`, `{"data": …}`, token auth) for the
 * guests of a FakePve, proxying agent calls to their REAL qemu-ga. It records how many requests were in
 * flight at once and how many TLS connections were opened, so keep-alive and the in-flight bound are tested.
 */
import { readFileSync } from 'fs';
import * as https from 'https';
import * as path from 'path';
import { X509Certificate } from 'crypto';
import type { AddressInfo } from 'net';
import { $ } from 'zx';
import { labGuests } from '../../../lab/pve/lab';
import { qga } from '../../../lab/pve/qga-proxy';
import type { FakePve } from './fake-pve';

const lib = { qga };

export interface FakeApi {
  url: string;
  token: string;
  fingerprint: string;
  certFile: string;
  stats: { maxInFlight: number; connections: number; requests: number; authorized: number };
  close(): Promise<void>;
}

export function makeCertificate(dir: string, name = 'api'): { key: string; cert: string } {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.crt`);
  const san = 'subjectAltName=IP:127.0.0.1,DNS:localhost';
  const made = $({
    sync: true,
    quiet: true,
  })`openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ${key} -out ${cert} -days 2 -subj /CN=127.0.0.1 -addext ${san}`;
  if (made.exitCode !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  return { key, cert };
}

export async function startFakeApi(
  pve: FakePve,
  node: string,
  options: { delayMs?: number } = {},
): Promise<FakeApi> {
  const { key, cert } = makeCertificate(pve.dir);
  const token = 'root@pam!sleep=0c2ad3f1-2b7e-4a59-9f0d-3e1c8a9b7d10';
  const stats = { maxInFlight: 0, connections: 0, requests: 0, authorized: 0 };
  let inFlight = 0;
  const tasks = new Map<string, { done: boolean }>();
  const guests = () => labGuests(pve.dir) as unknown as Record<string, Record<string, unknown>>;

  const server = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    stats.requests++;
    inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const reply = (status: number, data: unknown, message?: string) => {
        setTimeout(() => {
          inFlight--;
          res.statusCode = status;
          if (message) res.statusMessage = message.replace(/[^\x20-\x7e]/g, ' ');
          res.setHeader('Content-Type', 'application/json;charset=UTF-8');
          res.end(JSON.stringify(message ? { data, message: `${message}\n` } : { data }));
        }, options.delayMs ?? 0);
      };
      if (req.headers.authorization !== `PVEAPIToken=${token}`)
        return reply(401, null, 'authentication failure');
      stats.authorized++;
      const url = new URL(req.url ?? '/', 'https://x');
      const params = new URLSearchParams(req.method === 'POST' ? body : url.search);
      handle(req.method ?? 'GET', url.pathname.replace(/^\/api2\/json/, ''), params)
        .then(([status, data, message]) => reply(status, data, message))
        .catch((e: Error) => reply(500, null, e.message));
    });
  });
  server.on('secureConnection', () => stats.connections++);

  async function handle(
    method: string,
    p: string,
    params: URLSearchParams,
  ): Promise<[number, unknown, string?]> {
    const all = guests();
    if (method === 'GET' && p === '/cluster/resources')
      return [
        200,
        Object.entries(all).map(([id, g]) => ({
          id: `${String(g.type)}/${id}`,
          type: g.type,
          node,
          vmid: Number(id),
          name: g.name,
          status: g.status,
          cpu: g.status === 'running' ? g.cpu : 0,
          uptime: g.status === 'running' ? g.uptime : 0,
        })),
      ];
    const task = /^\/nodes\/[^/]+\/tasks\/([^/]+)\/status$/.exec(p);
    if (task) {
      const t = tasks.get(decodeURIComponent(task[1]));
      if (!t) return [500, null, 'no such task'];
      const wasDone = t.done;
      t.done = true;
      return [200, wasDone ? { status: 'stopped', exitstatus: 'OK' } : { status: 'running' }];
    }
    const m = /^\/nodes\/([^/]+)\/(qemu|lxc)\/([0-9]+)\/(.+)$/.exec(p);
    if (!m || m[1] !== node) return [500, null, `hostname lookup '${m?.[1]}' failed`];
    const [, , , id, rel] = m;
    const g = all[id];
    if (!g) return [500, null, `Configuration file 'nodes/${node}/qemu-server/${id}.conf' does not exist`];
    if (rel === 'status/current')
      return [200, { status: g.status, qmpstatus: g.status, name: g.name, uptime: g.uptime, cpu: g.cpu }];
    const power = /^status\/(start|stop|shutdown)$/.exec(rel);
    if (power && method === 'POST') {
      const upid = `UPID:${node}:0000${id}:${Date.now()}:qm${power[1]}:${id}:root@pam:`;
      tasks.set(upid, { done: false });
      pve.update(Number(id), { status: power[1] === 'start' ? 'running' : 'stopped' });
      return [200, upid];
    }
    if (!rel.startsWith('agent/')) return [404, null, `no such API path '${method} ${p}'`];
    if (g.status !== 'running') return [500, null, `VM ${id} is not running`];
    const socket = String(g.qga);
    try {
      await lib.qga(socket, 'guest-ping', undefined, 3000);
    } catch {
      return [500, null, 'QEMU guest agent is not running'];
    }
    const cmd = rel.slice('agent/'.length);
    if (cmd === 'file-read') {
      const handle = await lib.qga(socket, 'guest-file-open', { path: params.get('file'), mode: 'r' });
      const r = (await lib.qga(socket, 'guest-file-read', { handle, count: 16 * 1024 * 1024 })) as {
        'buf-b64': string;
      };
      await lib.qga(socket, 'guest-file-close', { handle });
      const content = Buffer.from(r['buf-b64'], 'base64');
      return [200, { content: content.toString('latin1'), 'bytes-read': content.length }];
    }
    if (cmd === 'exec' && method === 'POST') {
      const command = params.getAll('command');
      return [
        200,
        await lib.qga(socket, 'guest-exec', {
          path: command[0],
          arg: command.slice(1),
          'capture-output': true,
        }),
      ];
    }
    if (cmd === 'exec-status') {
      const st = (await lib.qga(socket, 'guest-exec-status', { pid: Number(params.get('pid')) })) as Record<
        string,
        unknown
      >;
      const data: Record<string, unknown> = { exited: st.exited ? 1 : 0 };
      if (st.exitcode !== undefined) data.exitcode = st.exitcode;
      if (st['out-data']) data['out-data'] = Buffer.from(String(st['out-data']), 'base64').toString('latin1');
      return [200, data];
    }
    return [200, { result: await lib.qga(socket, `guest-${cmd}`) }];
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    token,
    fingerprint: new X509Certificate(readFileSync(cert)).fingerprint256,
    certFile: cert,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
