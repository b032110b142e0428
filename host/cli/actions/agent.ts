/** What `agent <id> status|ping|hibernate|shutdown` does, loaded when it runs. */
import { EXIT, errorMessage } from '../../../common/errors';
import { sanitizeForLog } from '../../../common/sanitize';
import type { Status } from '../../../protocol';
import { KIND_LABEL, type GuestConfig } from '../../config';
import { duration } from '../../policy';
import type { Wired } from '../../wiring';
import { printJson, type GlobalOptions, type Io } from '../io';
import { withPrepared } from '../prepare';

export type AgentAction = 'status' | 'ping' | 'hibernate' | 'shutdown';

interface Talk {
  io: Io;
  globals: GlobalOptions;
  wired: Wired;
  guest: GuestConfig;
}

export const talkToAgent = (
  io: Io,
  globals: GlobalOptions,
  id: string,
  action: AgentAction,
): Promise<number> =>
  withPrepared(io, globals, { strict: false, quiet: true }, async ({ loaded, wired }) => {
    const guest = loaded.config.guests.find((g) => String(g.id) === id);
    if (!guest) {
      io.stderr(
        `proxmox-sleep: ${sanitizeForLog(id, 40)} is not a configured guest (VM_IDS / CONTAINER_IDS)\n`,
      );
      return EXIT.failure;
    }
    const talk = { io, globals, wired, guest };
    if (action === 'status') return status(talk);
    if (action === 'ping') return ping(talk);
    return power(talk, action);
  });

function label(guest: GuestConfig): string {
  return `${KIND_LABEL[guest.kind]} ${guest.id} (${sanitizeForLog(guest.name, 64)})`;
}

/** The guest's status document, or why there is none (`TRANSPORT=none: no agent to ask`, `no_file: …`). */
async function readDocument({ wired, guest }: Talk): Promise<{ status: Status } | { why: string }> {
  const reading = await wired.channels(guest).readStatus(wired.readTimeoutMs ?? 10000);
  if (reading.ok) return { status: reading.status };
  return { why: reading.code === 'no_agent' ? 'TRANSPORT=none' : `${reading.code}: ${reading.why}` };
}

async function status(talk: Talk): Promise<number> {
  const { io, globals, wired, guest } = talk;
  const where = wired.channels(guest).describe();
  const document = await readDocument(talk);
  if ('status' in document) {
    if (globals.json) printJson(io, document.status);
    else
      io.stdout(
        `${label(guest)} via ${sanitizeForLog(where, 200)}:\n${JSON.stringify(document.status, null, 2)}\n`,
      );
    return EXIT.ok;
  }
  const why = document.why === 'TRANSPORT=none' ? 'TRANSPORT=none: no agent to ask' : document.why;
  if (globals.json) printJson(io, { ok: false, source: where, error: why });
  else io.stderr(`${label(guest)} via ${sanitizeForLog(where, 200)}: no usable status (${why})\n`);
  return EXIT.failure;
}

async function power({ io, globals, wired, guest }: Talk, what: 'hibernate' | 'shutdown'): Promise<number> {
  if (what === 'hibernate' && guest.kind === 'ct') {
    io.stderr(`${label(guest)}: containers cannot hibernate (use \`agent ${guest.id} shutdown\`)\n`);
    return EXIT.failure;
  }
  const answer = await wired.channels(guest).command([what], 30000);
  const ok = answer.kind === 'reply' && answer.reply.success;
  const text =
    answer.kind === 'reply'
      ? answer.reply.message
      : answer.kind === 'no-answer'
        ? `no answer (${answer.why}); the guest may be going down anyway`
        : answer.why;
  if (globals.json) printJson(io, { ok, guest: guest.id, answer });
  else (ok ? io.stdout : io.stderr)(`${label(guest)}: ${sanitizeForLog(text, 300)}\n`);
  return ok ? EXIT.ok : EXIT.failure;
}

async function ping(talk: Talk): Promise<number> {
  const { io, globals, guest } = talk;
  const lines: string[] = [];
  const result: Record<string, unknown> = { guest: guest.id };
  const usesQga = guest.kind === 'vm' && (guest.transport === 'qga-file' || guest.transport === 'qga-exec');
  const qga = usesQga ? await pingQga(talk) : null;
  if (qga) {
    result.guest_agent = qga.json;
    lines.push(qga.line);
  }
  const document = await readDocument(talk);
  if ('status' in document) {
    const s = document.status;
    result.status = { ok: true, seq: s.seq, idle: s.idle, reasons: s.reasons, written_at: s.written_at };
    lines.push(statusLine(s));
  } else {
    result.status = { ok: false, error: document.why };
    lines.push(`status agent: no usable status (${document.why})`);
  }
  const ok = (qga?.json.ok ?? true) && 'status' in document;
  result.ok = ok;
  if (globals.json) printJson(io, result);
  else io.stdout(`${label(guest)}:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
  return ok ? EXIT.ok : EXIT.failure;
}

async function pingQga({ wired, guest }: Talk) {
  const started = Date.now();
  const access = `QEMU guest agent (${wired.agent.access})`;
  try {
    await wired.agent.command(guest.id, 'ping', 5000);
    const ms = Date.now() - started;
    return {
      json: { ok: true, ms } as { ok: boolean; ms?: number; error?: string },
      line: `${access}: answers (${ms} ms)`,
    };
  } catch (e) {
    return {
      json: { ok: false, error: errorMessage(e) },
      line: `${access}: ${sanitizeForLog(errorMessage(e), 300)}`,
    };
  }
}

function statusLine(s: Status): string {
  const written = Date.parse(s.written_at);
  const age = Number.isFinite(written) ? (Date.now() - written) / 1000 : null;
  const when = age === null ? '?' : age >= 0 ? `${duration(age)} ago` : `${duration(-age)} in the future`;
  return `status agent ${sanitizeForLog(s.agent.version, 40)} (${s.agent.os}, ${s.agent.variant}): seq ${s.seq}, ${s.idle ? 'idle' : `active (${s.reasons.join(', ')})`}, written ${when} by the guest's clock`;
}
