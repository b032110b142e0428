/**
 * Headless pre-sleep warning: logged by the caller, then broadcast to logged-in terminals with `wall`; when
 * wall is missing or fails, written straight to the terminal of every login from utmp. Fails softly: the
 * result says what happened, nothing throws.
 */
import { constants, promises as fs } from 'fs';
import * as path from 'path';
import type { Runner } from '../../../common/shell';
import type { Session } from '../../core/checks/sessions';
import type { Notifier } from '../../core/commands';
import { protocolText } from '../../core/text';
import type { PathLookup } from '../shared/commands';

export function noticeText(message: string, seconds: number): string {
  const when = seconds > 0 ? ` in ${seconds} s` : '';
  return [
    `Proxmox Sleep: ${protocolText(message, 500)}`,
    `This machine will be suspended${when}. To keep it awake: sudo proxmox-sleep-agent block --for 1h`,
  ].join('\n');
}

export function createLinuxNotifier(deps: {
  run: Runner;
  findOnPath: PathLookup;
  sessions: () => Promise<Session[]>;
  devDir?: string;
}): Notifier {
  const devDir = deps.devDir ?? '/dev';
  const writeTerminals = async (text: string): Promise<number> => {
    let sessions: Session[];
    try {
      sessions = await deps.sessions();
    } catch {
      return 0;
    }
    let written = 0;
    for (const line of new Set(sessions.map((s) => s.line))) {
      if (!/^(pts\/\d+|tty[A-Za-z]*\d+|console)$/.test(line)) continue;
      try {
        const handle = await fs.open(
          path.join(devDir, line),
          constants.O_WRONLY | constants.O_NOCTTY | constants.O_NONBLOCK | constants.O_APPEND,
        );
        try {
          await handle.write(`\r\n${text.replace(/\n/g, '\r\n')}\r\n`);
          written++;
        } finally {
          await handle.close();
        }
      } catch {
        // a terminal that went away or refuses writes
      }
    }
    return written;
  };
  return {
    async notify(message, seconds) {
      const text = noticeText(message, seconds);
      const wall = await deps.findOnPath('wall');
      if (wall) {
        try {
          const result = await deps.run(wall, [], { input: `${text}\n`, timeoutMs: 5000 });
          if (result.exitCode === 0)
            return { delivered: true, detail: 'Notification sent to logged-in terminals (wall)' };
        } catch {
          // fall through to writing the terminals directly
        }
      }
      const written = await writeTerminals(text);
      return written > 0
        ? { delivered: true, detail: `Notification written to ${written} terminal${written > 1 ? 's' : ''}` }
        : { delivered: false, detail: 'Notification logged; no logged-in terminal could be reached' };
    },
  };
}
