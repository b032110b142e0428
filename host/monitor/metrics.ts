/**
 * METRICS_FILE: a Prometheus textfile for node_exporter's textfile collector, rewritten atomically after each
 * tick. Label values are escaped as the exposition format requires; guest-sent reasons are already limited
 * to the protocol's reason pattern.
 */
import { writeFileAtomic } from '../../common/atomic-file';
import type { Verdict } from '../policy';

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function renderMetrics(verdict: Verdict, now: number): string {
  const lines: string[] = [];
  const metric = (name: string, help: string, type: 'gauge' | 'counter', samples: [string, number][]) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
  };
  const gl = (g: Verdict['guests'][number]) => `kind="${g.kind}",id="${g.id}",name="${esc(g.name)}"`;
  metric('proxmox_sleep_may_sleep_now', '1 when every monitored signal is idle right now', 'gauge', [
    ['', verdict.idleNow ? 1 : 0],
  ]);
  metric('proxmox_sleep_auto_sleep_enabled', '0 when IDLE_THRESHOLD_MINUTES=0', 'gauge', [
    ['', verdict.autoSleep === 'on' ? 1 : 0],
  ]);
  metric(
    'proxmox_sleep_countdown_seconds',
    'Seconds until sleep is due if everything stays idle (-1 while something is active or auto-sleep is off)',
    'gauge',
    [['', verdict.countdownSeconds ?? -1]],
  );
  metric(
    'proxmox_sleep_guest_idle',
    'Per guest: 1 idle, 0 active; stopped and MONITOR=0 guests count as idle',
    'gauge',
    verdict.guests.map((g) => [`{${gl(g)},state="${g.state}"}`, g.state === 'active' ? 0 : 1]),
  );
  metric(
    'proxmox_sleep_guest_idle_seconds',
    'Per guest: how long it has been idle as the host counts it',
    'gauge',
    verdict.guests
      .filter((g) => g.idleForSeconds !== null)
      .map((g) => [`{${gl(g)}}`, g.idleForSeconds as number]),
  );
  metric(
    'proxmox_sleep_guest_active_reason',
    'Per guest and reason: 1 while that reason keeps the guest active',
    'gauge',
    verdict.guests.flatMap((g) =>
      g.reasons.map((r): [string, number] => [`{${gl(g)},reason="${esc(r)}"}`, 1]),
    ),
  );
  metric(
    'proxmox_sleep_host_check_active',
    'Per host check: 1 active, 0 idle, -1 unknown or unavailable',
    'gauge',
    verdict.host.checks.map((c) => [
      `{check="${esc(c.name)}"}`,
      c.state === 'active' ? 1 : c.state === 'idle' ? 0 : -1,
    ]),
  );
  metric('proxmox_sleep_last_check_timestamp_seconds', 'When this file was written', 'gauge', [
    ['', Math.floor(now / 1000)],
  ]);
  return `${lines.join('\n')}\n`;
}

export async function writeMetrics(file: string, verdict: Verdict, now: number): Promise<void> {
  await writeFileAtomic(file, renderMetrics(verdict, now), 0o644);
}
