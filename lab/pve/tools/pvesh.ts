/** The lab's `pvesh`: the read paths the host tool uses and the agent endpoints, answered as the API would. */
import { materialize } from '../power';
import { guestIds, labDir, logCall, nodeName, type LabGuest } from '../state';
import { agentCall, agentReady, ctOf, die, hangIf, proxmoxText, readFileViaAgent, vmOf } from './common';

function uptimeOf(g: LabGuest): number {
  if (g.status !== 'running') return 0;
  if (g.uptime !== undefined) return g.uptime;
  return g.startedAt ? Math.floor((Date.now() - g.startedAt) / 1000) : 0;
}

export async function main(argv: string[]): Promise<void> {
  const dir = labDir();
  logCall(dir, 'pvesh', argv);
  const [method, apiPath, ...rest] = argv;
  const params: Record<string, string | string[]> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const key = rest[i].replace(/^--/, '');
    if (key === 'output-format') continue;
    const prev = params[key];
    params[key] = prev === undefined ? rest[i + 1] : ([] as string[]).concat(prev, rest[i + 1]);
  }
  const node = nodeName(dir);
  const out = (data: unknown) => process.stdout.write(`${JSON.stringify(data)}\n`);

  if (method === 'get' && apiPath === '/cluster/resources') {
    const guests = guestIds(dir)
      .map((id) => materialize(dir, id))
      .filter((g): g is LabGuest => g !== null);
    out(
      guests.map((g) => ({
        id: `${g.type}/${g.id}`,
        type: g.type,
        node,
        vmid: g.id,
        name: g.name,
        status: g.status,
        cpu: g.status === 'running' ? (g.cpu ?? 0) : 0,
        maxcpu: g.maxcpu ?? 2,
        uptime: uptimeOf(g),
        template: 0,
      })),
    );
    return;
  }
  const m = /^\/nodes\/([^/]+)\/(qemu|lxc)\/([0-9]+)\/(.+)$/.exec(apiPath || '');
  if (!m) die(`no such API path '${apiPath}' (404)`);
  const [, n, type, id, rel] = m;
  if (n !== node && n !== 'localhost')
    die(`hostname lookup '${n}' failed - failed to get address info for: ${n}: Name or service not known`);
  const g = type === 'qemu' ? vmOf(dir, id) : ctOf(dir, id);
  if (method === 'get' && rel === 'status/current') {
    await hangIf(g, 'status');
    const data: Record<string, unknown> = {
      status: g.status,
      name: g.name,
      vmid: g.id,
      cpu: g.status === 'running' ? (g.cpu ?? 0) : 0,
    };
    if (g.status === 'running') data.uptime = uptimeOf(g);
    if (type === 'qemu') {
      data.qmpstatus = g.status === 'running' ? g.qmpstatus || 'running' : 'stopped';
      if (g.agent) data.agent = 1;
    }
    out(data);
    return;
  }
  if (type !== 'qemu' || !rel.startsWith('agent/')) die(`no such API path '${apiPath}' (404)`);
  await hangIf(g, 'guest');
  const cmd = rel.slice('agent/'.length);
  await agentReady(g);
  if (method === 'get' && cmd === 'file-read') {
    try {
      out(await readFileViaAgent(g, String(params.file)));
    } catch (e) {
      die((e as Error).message);
    }
    return;
  }
  if (method === 'create' && cmd === 'exec') {
    const command = ([] as string[]).concat(params.command ?? []);
    out(
      await agentCall(g, 'guest-exec', { path: command[0], arg: command.slice(1), 'capture-output': true }),
    );
    return;
  }
  if (method === 'get' && cmd === 'exec-status') {
    const st = (await agentCall(g, 'guest-exec-status', { pid: Number(params.pid) })) as Record<
      string,
      unknown
    >;
    const data: Record<string, unknown> = { exited: st.exited ? 1 : 0 };
    if (st.exitcode !== undefined) data.exitcode = st.exitcode;
    if (st['out-data']) data['out-data'] = proxmoxText(String(st['out-data']));
    if (st['err-data']) data['err-data'] = proxmoxText(String(st['err-data']));
    out(data);
    return;
  }
  out({ result: await agentCall(g, `guest-${cmd}`) });
}

if (require.main === module) void main(process.argv.slice(2));
