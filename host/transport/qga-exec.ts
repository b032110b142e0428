/** TRANSPORT=qga-exec: run `proxmox-sleep-agent status` in the guest through the guest agent. */
import { sanitizeForLog } from '../../common/sanitize';
import { MAX_STATUS_BYTES } from '../../protocol';
import type { GuestAgent } from '../proxmox/types';
import { toReadFailure } from './errors';
import { AGENT_STATUS_COMMAND, ReadFailure, type StatusTransport } from './types';

export function createQgaExecTransport(deps: { agent: GuestAgent }): StatusTransport {
  return {
    name: 'qga-exec',
    describe: () => `qga-exec via ${deps.agent.access}: ${AGENT_STATUS_COMMAND.join(' ')}`,
    async read(guest, timeoutMs) {
      let result;
      try {
        result = await deps.agent.exec(guest.id, AGENT_STATUS_COMMAND, {
          timeoutMs,
          maxOutputBytes: MAX_STATUS_BYTES,
        });
      } catch (e) {
        throw toReadFailure(e);
      }
      if (result.truncated)
        throw new ReadFailure('too_large', `status output is larger than ${MAX_STATUS_BYTES} bytes`);
      if (result.exitCode !== 0) {
        const err = sanitizeForLog(result.stderr.trim().split('\n').slice(-1)[0] ?? '', 200);
        throw new ReadFailure(
          'exec_failed',
          `${AGENT_STATUS_COMMAND.join(' ')} exited ${result.exitCode ?? `by signal ${result.signal}`}${err ? `: ${err}` : ''}`,
        );
      }
      return result.stdout;
    },
  };
}
