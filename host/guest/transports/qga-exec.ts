/** TRANSPORT=qga-exec: run `proxmox-sleep-agent status` in the guest through the guest agent. */
import { sanitizeForLog } from '../../../common/sanitize';
import { MAX_STATUS_BYTES } from '../../../protocol';
import type { GuestAgent } from '../../proxmox/types';
import { agentArgv } from '../agent-argv';
import { guestOs, type OsCache } from '../guest-os';
import { ReadFailure } from '../read-failure';
import type { StatusTransport } from '../types';

export function createQgaExecTransport(deps: { agent: GuestAgent; osCache: OsCache }): StatusTransport {
  return {
    name: 'qga-exec',
    describe: (guest) => {
      const os = deps.osCache.get(`vm:${guest.id}`) ?? 'linux';
      return `qga-exec via ${deps.agent.access}: ${agentArgv(os, ['status']).join(' ')}`;
    },
    async read(guest, timeoutMs) {
      const argv = agentArgv(await guestOs(deps.agent, deps.osCache, guest.id, timeoutMs), ['status']);
      const result = await deps.agent.exec(guest.id, argv, { timeoutMs, maxOutputBytes: MAX_STATUS_BYTES });
      if (result.truncated)
        throw new ReadFailure('too_large', `status output is larger than ${MAX_STATUS_BYTES} bytes`);
      if (result.exitCode !== 0) {
        const err = sanitizeForLog(result.stderr.trim().split('\n').slice(-1)[0] ?? '', 200);
        throw new ReadFailure(
          'exec_failed',
          `${argv.join(' ')} exited ${result.exitCode ?? `by signal ${result.signal}`}${err ? `: ${err}` : ''}`,
        );
      }
      return result.stdout;
    },
  };
}
