import { Argument, type Command } from 'commander';
import { EXIT, errorMessage } from '../../common/errors';
import { sanitizeForLog } from '../../common/sanitize';
import { KIND_LABEL, type GuestConfig } from '../config';
import type { GlobalOptions, Io } from '../io';
import { duration } from '../policy';
import { runAgentCommand } from '../sequence/agent-commands';
import { prepare } from './monitor-common';

type AgentAction = 'status' | 'ping' | 'hibernate' | 'shutdown';

export function registerAgent(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('agent')
    .description(
      "talk to one guest's agent: `status` prints its status document, `ping` checks that it answers, `hibernate` / `shutdown` ask it to put its guest away (nothing is recorded: the guest is not resumed after a wake)",
    )
    .argument('<id>', 'guest ID (as in VM_IDS or CONTAINER_IDS)')
    .addArgument(new Argument('<action>', 'what to do').choices(['status', 'ping', 'hibernate', 'shutdown']))
    .action(async (id: string, action: AgentAction, _options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const prepared = await prepare(io, globals, { strict: false, quiet: true });
      try {
        const guest = prepared.loaded.config.guests.find((g) => String(g.id) === id);
        if (!guest) {
          io.stderr(
            `proxmox-sleep: ${sanitizeForLog(id, 40)} is not a configured guest (VM_IDS / CONTAINER_IDS)\n`,
          );
          setExit(EXIT.failure);
          return;
        }
        setExit(
          action === 'status'
            ? await status(guest)
            : action === 'ping'
              ? await ping(guest)
              : await power(guest, action),
        );
      } finally {
        prepared.wired.close();
      }

      async function status(guest: GuestConfig): Promise<number> {
        const channel = prepared.wired.channels(guest);
        const reading = await channel.readStatus(prepared.wired.readTimeoutMs ?? 10000);
        const where = channel.describe();
        if (reading.ok) {
          io.stdout(
            globals.json
              ? `${JSON.stringify(reading.status, null, 2)}\n`
              : `${label(guest)} via ${sanitizeForLog(where, 200)}:\n${JSON.stringify(reading.status, null, 2)}\n`,
          );
          return EXIT.ok;
        }
        const why =
          reading.code === 'no_agent' ? 'TRANSPORT=none: no agent to ask' : `${reading.code}: ${reading.why}`;
        if (globals.json) io.stdout(`${JSON.stringify({ ok: false, source: where, error: why }, null, 2)}\n`);
        else io.stderr(`${label(guest)} via ${sanitizeForLog(where, 200)}: no usable status (${why})\n`);
        return EXIT.failure;
      }

      async function power(guest: GuestConfig, what: 'hibernate' | 'shutdown'): Promise<number> {
        if (what === 'hibernate' && guest.kind === 'ct') {
          io.stderr(`${label(guest)}: containers cannot hibernate (use \`agent ${guest.id} shutdown\`)\n`);
          return EXIT.failure;
        }
        const answer = await runAgentCommand(guest, [what], 30000, prepared.wired);
        const ok = answer.kind === 'reply' && answer.reply.success;
        const text =
          answer.kind === 'reply'
            ? answer.reply.message
            : answer.kind === 'no-answer'
              ? `no answer (${answer.why}); the guest may be going down anyway`
              : answer.why;
        if (globals.json) io.stdout(`${JSON.stringify({ ok, guest: guest.id, answer }, null, 2)}\n`);
        else (ok ? io.stdout : io.stderr)(`${label(guest)}: ${sanitizeForLog(text, 300)}\n`);
        return ok ? EXIT.ok : EXIT.failure;
      }

      async function ping(guest: GuestConfig): Promise<number> {
        const lines: string[] = [];
        const result: Record<string, unknown> = { guest: guest.id };
        let ok = true;
        if (guest.kind === 'vm' && (guest.transport === 'qga-file' || guest.transport === 'qga-exec')) {
          const started = Date.now();
          try {
            await prepared.wired.agent.command(guest.id, 'ping', 5000);
            const ms = Date.now() - started;
            result.guest_agent = { ok: true, ms };
            lines.push(`QEMU guest agent (${prepared.wired.agent.access}): answers (${ms} ms)`);
          } catch (e) {
            ok = false;
            result.guest_agent = { ok: false, error: errorMessage(e) };
            lines.push(
              `QEMU guest agent (${prepared.wired.agent.access}): ${sanitizeForLog(errorMessage(e), 300)}`,
            );
          }
        }
        const reading = await prepared.wired
          .channels(guest)
          .readStatus(prepared.wired.readTimeoutMs ?? 10000);
        if (reading.ok) {
          const s = reading.status;
          const written = Date.parse(s.written_at);
          const age = Number.isFinite(written) ? (Date.now() - written) / 1000 : null;
          result.status = {
            ok: true,
            seq: s.seq,
            idle: s.idle,
            reasons: s.reasons,
            written_at: s.written_at,
          };
          lines.push(
            `status agent ${sanitizeForLog(s.agent.version, 40)} (${s.agent.os}, ${s.agent.variant}): seq ${s.seq}, ${s.idle ? 'idle' : `active (${s.reasons.join(', ')})`}, written ${age === null ? '?' : age >= 0 ? `${duration(age)} ago` : `${duration(-age)} in the future`} by the guest's clock`,
          );
        } else {
          ok = false;
          const why = reading.code === 'no_agent' ? 'TRANSPORT=none' : `${reading.code}: ${reading.why}`;
          result.status = { ok: false, error: why };
          lines.push(`status agent: no usable status (${why})`);
        }
        result.ok = ok;
        io.stdout(
          globals.json
            ? `${JSON.stringify(result, null, 2)}\n`
            : `${label(guest)}:\n${lines.map((l) => `  ${l}`).join('\n')}\n`,
        );
        return ok ? EXIT.ok : EXIT.failure;
      }
    });
}

function label(guest: GuestConfig): string {
  return `${KIND_LABEL[guest.kind]} ${guest.id} (${sanitizeForLog(guest.name, 64)})`;
}
