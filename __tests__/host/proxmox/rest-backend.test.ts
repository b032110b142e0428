/** The REST backend against a local HTTPS server that answers like Proxmox (self-signed cert, pinned). */
import { chmodSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, UnavailableError } from '../../../common/errors';
import { createRunner } from '../../../common/shell';
import { createCliBackend } from '../../../host/proxmox/cli-backend';
import { createHttpsClient } from '../../../host/proxmox/https-client';
import { createRestBackend, readApiToken } from '../../../host/proxmox/rest-backend';
import { GuestAgentError } from '../../../host/proxmox/types';
import { bytes, idleStatus } from '../../helpers/status-samples';
import { expectExecEndUnknownWhenAgentLeaves } from '../helpers/exec-losing-agent';
import { createFakePve, type FakePve } from '../helpers/fake-pve';
import { makeCertificate, startFakeApi, type FakeApi } from '../helpers/fake-pve-api';

const node = os.hostname().split('.')[0];
let pve: FakePve;
let api: FakeApi;

beforeAll(async () => {
  pve = createFakePve();
  await pve.addVm(100, { cpu: 0.5, uptime: 60 });
  await pve.addVm(101, { status: 'stopped', withAgent: false });
  api = await startFakeApi(pve, node, { delayMs: 15 });
});

afterAll(async () => {
  await api.close();
  await pve.cleanup();
});

function backend(fingerprint: string | undefined = api.fingerprint, caFile?: string) {
  const client = createHttpsClient({ baseUrl: api.url, token: api.token, fingerprint, caFile });
  const cli = createCliBackend({
    run: createRunner({ timeoutMs: 15000, env: { ...process.env, ...pve.env } }),
    node,
  });
  return { client, rest: createRestBackend({ client, node, containers: cli }) };
}

test('keep-alive and at most 3 requests in flight, whatever the caller asks for', async () => {
  const { client, rest } = backend();
  const before = { ...api.stats };
  const results = await Promise.all(Array.from({ length: 20 }, () => rest.status({ kind: 'vm', id: 100 })));
  expect(results.every((r) => r.power === 'running')).toBe(true);
  expect(api.stats.maxInFlight).toBeLessThanOrEqual(3);
  expect(api.stats.connections - before.connections).toBeLessThanOrEqual(3);
  expect(client.connectionsOpened()).toBeLessThanOrEqual(3);
  client.close();
});

test('lists guests with CPU percent from /cluster/resources (fingerprint given as plain hex)', async () => {
  const { client, rest } = backend(api.fingerprint.replace(/:/g, '').toLowerCase());
  const guests = await rest.listGuests();
  expect(guests).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ id: 100, power: 'running', cpuPercent: 50, uptimeSeconds: 60 }),
    ]),
  );
  client.close();
});

test('a wrong pinned fingerprint is refused before the token is sent', async () => {
  const authorizedBefore = api.stats.authorized;
  const requestsBefore = api.stats.requests;
  const { client, rest } = backend('AA:'.repeat(31) + 'AA');
  await expect(rest.listGuests()).rejects.toBeInstanceOf(UnavailableError);
  expect(api.stats.requests).toBe(requestsBefore);
  expect(api.stats.authorized).toBe(authorizedBefore);
  client.close();
});

test('without a pin, the certificate must chain to the CA file', async () => {
  const ok = backend('', api.certFile);
  expect((await ok.rest.listGuests()).length).toBeGreaterThan(0);
  ok.client.close();
  const other = makeCertificate(pve.dir, 'other-ca');
  const refused = backend('', other.cert);
  await expect(refused.rest.listGuests()).rejects.toThrow(/certificate|self[- ]signed/i);
  refused.client.close();
});

test('reads a guest file through the API (proxied to the real qemu-ga)', async () => {
  const file = pve.statusPath(100);
  const content = bytes(idleStatus({ seq: 99 }));
  writeFileSync(file, content);
  const { client, rest } = backend();
  expect((await rest.agent.readFile(100, file, 64 * 1024, 5000)).equals(content)).toBe(true);
  await expect(rest.agent.readFile(100, '/nonexistent/x.json', 1024, 5000)).rejects.toMatchObject({
    code: 'no_file',
  });
  client.close();
});

test('exec through the API polls exec-status and reports the exit code', async () => {
  const { client, rest } = backend();
  const r = await rest.agent.exec(100, ['/bin/sh', '-c', 'echo via-api; exit 4'], {
    timeoutMs: 5000,
    maxOutputBytes: 100,
  });
  expect(r.exitCode).toBe(4);
  expect(r.stdout.toString()).toBe('via-api\n');
  client.close();
});

test('a program that takes the guest agent down with it (hibernate) ran: its end is unknown, not refused', async () => {
  const { client, rest } = backend();
  await expectExecEndUnknownWhenAgentLeaves(pve, rest.agent);
  client.close();
});

test('agent calls to a stopped VM are `agent_down`', async () => {
  const { client, rest } = backend();
  const e = await rest.agent.command(101, 'ping', 5000).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(GuestAgentError);
  expect((e as GuestAgentError).code).toBe('agent_down');
  client.close();
});

test('power calls wait for the task to finish', async () => {
  const { client, rest } = backend();
  await rest.start({ kind: 'vm', id: 101 });
  expect((await rest.status({ kind: 'vm', id: 101 })).power).toBe('running');
  await rest.stop({ kind: 'vm', id: 101 });
  client.close();
});

test('the token file: USER@REALM!TOKENID=SECRET, readable by root only', async () => {
  const file = path.join(pve.dir, 'token');
  writeFileSync(file, `${api.token}\n`);
  chmodSync(file, 0o600);
  expect(await readApiToken(file)).toEqual({ token: api.token, warnings: [] });
  chmodSync(file, 0o644);
  expect((await readApiToken(file)).warnings[0]).toMatch(/chmod 600/);
  writeFileSync(file, 'not a token');
  await expect(readApiToken(file)).rejects.toBeInstanceOf(ConfigError);
  await expect(readApiToken(path.join(pve.dir, 'missing'))).rejects.toBeInstanceOf(ConfigError);
});
