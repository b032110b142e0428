/**
 * The pre-sleep warning: before `tick` puts guests away it tells the agent of every running monitored guest
 * (`proxmox-sleep-agent notify --message … --seconds N`), so whoever is at it can press "Keep awake" (or run
 * `proxmox-sleep-agent block`). Best effort and bounded: a guest that cannot be told is logged, not waited for.
 */
import { errorMessage } from '../../common/errors';
import type { GuestConfig } from '../config';
import { agentRoute } from '../guest';
import { callTimeouts, guestLabel, type SequenceContext } from './context';

export function warningMessage(node: string, guest: GuestConfig, seconds: number): string {
  const fate =
    guest.sleepAction === 'keep_running' || guest.sleepAction === 'ignore'
      ? 'keeps running'
      : guest.kind === 'vm' && guest.sleepAction === 'hibernate'
        ? 'will be hibernated'
        : 'will be shut down';
  return `Proxmox host ${node} goes to sleep in ${seconds} seconds; this guest ${fate}.`;
}

export async function sendWarnings(
  ctx: SequenceContext,
  seconds: number,
  running: ReadonlySet<string>,
): Promise<{ told: string[]; missed: string[] }> {
  const t = callTimeouts(ctx.config.global);
  const guests = ctx.config.guests.filter(
    (g) => g.monitor && agentRoute(g) !== null && running.has(`${g.kind}:${g.id}`),
  );
  const told: string[] = [];
  const missed: string[] = [];
  await Promise.all(
    guests.map(async (g) => {
      const label = guestLabel(g.kind, g.id, g.name);
      const args = [
        'notify',
        '--message',
        warningMessage(ctx.proxmox.node, g, seconds),
        '--seconds',
        String(seconds),
      ];
      let detail: string;
      let ok = false;
      try {
        const answer = await ctx.channels(g).command(args, t.agentMs);
        ok = answer.kind === 'reply' && answer.reply.success;
        detail = answer.kind === 'reply' ? answer.reply.message : answer.why;
      } catch (e) {
        detail = errorMessage(e);
      }
      (ok ? told : missed).push(label);
      ctx.log.event(ok ? 'info' : 'warn', {
        kind: 'guest-action',
        guest: label,
        action: 'notify',
        outcome: ok ? 'done' : 'failed',
        detail,
      });
    }),
  );
  return { told, missed };
}
