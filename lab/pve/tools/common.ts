/** What the emulated qm, pct and pvesh share: errors as Proxmox prints them, hangs, agent proxying. */
import { readFileSync } from 'fs';
import { materialize } from '../power';
import { QgaProxyError, qga } from '../qga-proxy';
import { nodeName, type LabGuest } from '../state';

export function die(message: string, code = 255): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** Perl JSON pretty + canonical, as `qm guest …` prints: 3-space indent, `"key" : value`, sorted keys. */
export function perlPretty(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return `${JSON.stringify(sort(value), null, 3).replace(/^(\s*"(?:[^"\\]|\\.)*"): /gm, '$1 : ')}\n`;
}

/** A guest scripted to hang on this verb never answers; the caller's timeout ends the process. */
export async function hangIf(g: LabGuest, verb: string): Promise<void> {
  const hang = g.behaviour.hang ?? [];
  if (!hang.includes(verb) && !hang.includes('*')) return;
  await new Promise<never>(() => setInterval(() => undefined, 1 << 30));
}

/** QEMU (or the container) takes `startSeconds` to come up. */
export async function startDelay(g: LabGuest): Promise<void> {
  const seconds = g.status === 'running' ? 0 : (g.behaviour.startSeconds ?? 0);
  if (seconds > 0) await new Promise((r) => setTimeout(r, seconds * 1000));
}

export function vmOf(dir: string, id: string | undefined): LabGuest {
  const g = id && /^[0-9]+$/.test(id) ? materialize(dir, id) : null;
  if (!g || g.type !== 'qemu')
    die(`Configuration file 'nodes/${nodeName(dir)}/qemu-server/${id}.conf' does not exist`, 2);
  return g;
}

export function ctOf(dir: string, id: string | undefined): LabGuest {
  const g = id && /^[0-9]+$/.test(id) ? materialize(dir, id) : null;
  if (!g || g.type !== 'lxc')
    die(`Configuration file 'nodes/${nodeName(dir)}/lxc/${id}.conf' does not exist`, 2);
  return g;
}

export function socketOf(g: LabGuest): string {
  if (!g.qga) die('No QEMU guest agent configured');
  return g.qga;
}

/** What qemu-server checks before every agent call. */
export async function agentReady(g: LabGuest): Promise<string> {
  if (!g.agent) die('No QEMU guest agent configured');
  if (g.status !== 'running') die(`VM ${g.id} is not running`);
  const socket = socketOf(g);
  try {
    await qga(socket, 'guest-ping', undefined, 3000);
  } catch {
    die('QEMU guest agent is not running');
  }
  return socket;
}

export async function agentCall(
  g: LabGuest,
  execute: string,
  args?: Record<string, unknown>,
  timeoutMs = 5000,
): Promise<unknown> {
  try {
    return await qga(socketOf(g), execute, args, timeoutMs);
  } catch (e) {
    return die(`VM ${g.id} qmp command '${execute}' failed - ${(e as Error).message}`);
  }
}

/**
 * suspend-* and shutdown answer nothing on success: Proxmox counts the connection closing (the guest went
 * away) as success, and otherwise reports `got timeout`.
 */
export async function agentCallNoReply(g: LabGuest, execute: string): Promise<void> {
  try {
    await qga(socketOf(g), execute, undefined, 5000);
  } catch (e) {
    if (e instanceof QgaProxyError && e.eof) return;
    die(`VM ${g.id} qmp command '${execute}' failed - ${(e as Error).message}`);
  }
}

/** Proxmox decodes out-data and file content and JSON-encodes the raw bytes as characters. */
export function proxmoxText(b64: string): string {
  return Buffer.from(b64, 'base64').toString('latin1');
}

export async function execAndWait(
  g: LabGuest,
  argv: string[],
  timeoutS: number,
  input?: string,
): Promise<Record<string, unknown>> {
  const args: Record<string, unknown> = { path: argv[0], arg: argv.slice(1), 'capture-output': true };
  if (input !== undefined) args['input-data'] = Buffer.from(input).toString('base64');
  const { pid } = (await agentCall(g, 'guest-exec', args)) as { pid: number };
  const start = Date.now();
  while (timeoutS === 0 || (Date.now() - start) / 1000 < timeoutS) {
    const st = (await agentCall(g, 'guest-exec-status', { pid })) as Record<string, unknown>;
    if (st.exited) {
      const out: Record<string, unknown> = { exited: 1 };
      if (st.exitcode !== undefined) out.exitcode = st.exitcode;
      if (st.signal !== undefined) out.signal = st.signal;
      if (st['out-data']) out['out-data'] = proxmoxText(String(st['out-data']));
      if (st['err-data']) out['err-data'] = proxmoxText(String(st['err-data']));
      if (st['out-truncated']) out['out-truncated'] = 1;
      if (st['err-truncated']) out['err-truncated'] = 1;
      return out;
    }
    // qm polls once a second; the lab polls faster so tests stay quick.
    await new Promise((r) => setTimeout(r, 100));
  }
  process.stderr.write('timeout reached, returning pid\n');
  return { pid };
}

export async function readFileViaAgent(g: LabGuest, file: string): Promise<Record<string, unknown>> {
  const handle = await agentCall(g, 'guest-file-open', { path: file, mode: 'r' });
  const chunks: Buffer[] = [];
  try {
    for (;;) {
      const r = (await agentCall(g, 'guest-file-read', { handle, count: 1024 * 1024 })) as {
        'buf-b64': string;
        eof?: boolean;
        count?: number;
      };
      chunks.push(Buffer.from(r['buf-b64'], 'base64'));
      if (r.eof || r.count === 0) break;
    }
  } finally {
    await qga(socketOf(g), 'guest-file-close', { handle }).catch(() => undefined);
  }
  const bytes = Buffer.concat(chunks);
  return { content: bytes.toString('latin1'), 'bytes-read': bytes.length };
}

export function readStdin(): string {
  return readFileSync(0, 'utf8');
}

/** `--name value` options of a Proxmox command line. */
export function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Waits (polling the lab state) until the guest is stopped or the time is up. */
export async function waitStopped(dir: string, id: number, timeoutS: number): Promise<boolean> {
  const deadline = Date.now() + timeoutS * 1000;
  for (;;) {
    const g = materialize(dir, id);
    if (!g || g.status === 'stopped') return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}
