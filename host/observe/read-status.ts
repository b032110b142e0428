/**
 * Reads and validates one guest's status. Whatever the guest sent, the result is either a valid Status or
 * a `missing` reading whose `why` is safe to print: sanitised, capped, and never containing guest bytes
 * beyond what the protocol parser quotes (field names and JSON syntax positions).
 */
import { sanitizeForLog } from '../../common/sanitize';
import { safeParseStatus } from '../../protocol';
import type { GuestConfig } from '../config';
import type { AgentReading } from '../policy';
import { toReadFailure, type StatusTransport } from '../transport';

export async function readGuestStatus(
  guest: GuestConfig,
  transport: StatusTransport | null,
  timeoutMs: number,
): Promise<AgentReading> {
  if (!transport) return { kind: 'none' };
  const via = transport.name;
  let bytes: Buffer;
  try {
    bytes = await transport.read(guest, timeoutMs);
  } catch (e) {
    const f = toReadFailure(e);
    return { kind: 'missing', code: f.code, why: sanitizeForLog(f.message, 300), via };
  }
  const parsed = safeParseStatus(bytes);
  if (!parsed.ok) {
    const field = parsed.error.field ? ` (field ${sanitizeForLog(parsed.error.field, 80)})` : '';
    return {
      kind: 'missing',
      code: parsed.error.code,
      why: `invalid status: ${sanitizeForLog(parsed.error.message, 300)}${field}`,
      via,
    };
  }
  return { kind: 'status', status: parsed.value, via };
}
