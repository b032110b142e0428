/**
 * Parsers for what Proxmox's tools print. Fixtures of real output live in __tests__/fixtures/host/pve-output.
 * Proxmox is trusted, but its output still passes through these so that a changed format becomes a clear
 * error instead of a wrong reading.
 */
import { z } from 'zod';
import { toPowerState, type GuestInfo } from './types';

/** `qm status <id>` / `pct status <id>` print `status: running`. */
export function parseStatusLine(stdout: string): string | null {
  const m = /^status:\s*(\S+)\s*$/m.exec(stdout);
  return m ? m[1] : null;
}

const num = z.number().finite();
const ResourceSchema = z.object({
  id: z.string().optional(),
  type: z.string(),
  node: z.string().optional(),
  vmid: z.union([num, z.string()]).optional(),
  name: z.string().optional(),
  status: z.string().optional(),
  cpu: num.optional(),
  maxcpu: num.optional(),
  uptime: num.optional(),
  template: z.union([num, z.boolean(), z.string()]).optional(),
});

/** `pvesh get /cluster/resources --type vm --output-format json` (or the API's data). */
export function parseClusterResources(json: unknown, node: string): GuestInfo[] {
  const list = z.array(z.unknown()).parse(json);
  const out: GuestInfo[] = [];
  for (const item of list) {
    const parsed = ResourceSchema.safeParse(item);
    if (!parsed.success) continue;
    const r = parsed.data;
    if (r.type !== 'qemu' && r.type !== 'lxc') continue;
    if (r.node !== undefined && r.node !== node) continue;
    const id = Number(r.vmid ?? r.id?.split('/')[1]);
    if (!Number.isInteger(id)) continue;
    const status = r.status ?? 'unknown';
    out.push({
      kind: r.type === 'qemu' ? 'vm' : 'ct',
      id,
      name: r.name ?? null,
      power: toPowerState(status),
      powerDetail: status,
      uptimeSeconds: r.uptime !== undefined && status === 'running' ? r.uptime : null,
      cpuPercent: r.cpu !== undefined && status === 'running' ? roundPercent(r.cpu) : null,
    });
  }
  return out;
}

const CurrentSchema = z.object({
  status: z.string(),
  qmpstatus: z.string().optional(),
  name: z.string().optional(),
  uptime: num.optional(),
  cpu: num.optional(),
});

/** `…/status/current`: `status` is only running|stopped for VMs; `qmpstatus` holds the real run state. */
export function parseStatusCurrent(json: unknown, kind: 'vm' | 'ct', id: number): GuestInfo {
  const s = CurrentSchema.parse(json);
  const word = s.qmpstatus ?? s.status;
  const running = toPowerState(word) === 'running';
  return {
    kind,
    id,
    name: s.name ?? null,
    power: toPowerState(word),
    powerDetail: word,
    uptimeSeconds: running && s.uptime !== undefined ? s.uptime : null,
    cpuPercent: running && s.cpu !== undefined ? roundPercent(s.cpu) : null,
  };
}

/** Proxmox reports CPU as a fraction of the guest's CPUs; the previous release used cpu × 100, rounded. */
function roundPercent(fraction: number): number {
  return Math.round(fraction * 1000) / 10;
}

export const FileReadSchema = z.object({
  content: z.string(),
  'bytes-read': num.optional(),
  truncated: z.union([num, z.boolean()]).optional(),
});

export const ExecStatusSchema = z
  .object({
    exited: z.union([num, z.boolean()]).optional(),
    exitcode: num.optional(),
    signal: num.optional(),
    'out-data': z.string().optional(),
    'err-data': z.string().optional(),
    'out-truncated': z.union([num, z.boolean()]).optional(),
    'err-truncated': z.union([num, z.boolean()]).optional(),
    pid: num.optional(),
  })
  .passthrough();

/** Maps the error text of `qm guest …` / `pvesh …/agent/…` to an agent error code. */
export function classifyAgentFailure(stderr: string): 'agent_down' | 'no_file' | 'timeout' | 'refused' {
  if (/No such file or directory|failed to open file/i.test(stderr)) return 'no_file';
  if (/got timeout|timeout reached/i.test(stderr)) return 'timeout';
  if (
    /not running|No QEMU guest agent configured|guest agent is not running|does not exist|unable to connect/i.test(
      stderr,
    )
  )
    return 'agent_down';
  return 'refused';
}
