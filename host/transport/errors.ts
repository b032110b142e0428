import { TransientError, UnavailableError, errorMessage } from '../../common/errors';
import { GuestAgentError } from '../proxmox/types';
import { ReadFailure } from './types';

/** A guest agent error as a read failure (same codes). */
export function fromAgentError(e: GuestAgentError): ReadFailure {
  return new ReadFailure(e.code, e.message);
}

/** Anything a transport throws, as a ReadFailure. */
export function toReadFailure(e: unknown): ReadFailure {
  if (e instanceof ReadFailure) return e;
  if (e instanceof GuestAgentError) return fromAgentError(e);
  if (e instanceof UnavailableError) return new ReadFailure('unavailable', e.message);
  if (e instanceof TransientError) return new ReadFailure('unreachable', e.message);
  return new ReadFailure('bad_reply', errorMessage(e));
}
