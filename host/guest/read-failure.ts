/**
 * Why a guest's status could not be read, as one short code. Transports throw a ReadFailure for what they
 * recognise themselves and let the layers below throw theirs; the guest channel converts whatever was thrown
 * here, once.
 */
import { TransientError, UnavailableError, errorMessage } from '../../common/errors';
import { GuestAgentError } from '../proxmox/types';

export type ReadFailureCode =
  | 'no_file'
  | 'agent_down'
  | 'timeout'
  | 'too_large'
  | 'refused'
  | 'bad_reply'
  | 'unreachable'
  | 'host_key'
  | 'auth'
  | 'unavailable'
  | 'exec_failed';

export class ReadFailure extends Error {
  constructor(
    readonly code: ReadFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'ReadFailure';
  }
}

/** Anything a transport throws, as a ReadFailure (a guest agent error keeps its code). */
export function toReadFailure(e: unknown): ReadFailure {
  if (e instanceof ReadFailure) return e;
  if (e instanceof GuestAgentError) return new ReadFailure(e.code, e.message);
  if (e instanceof UnavailableError) return new ReadFailure('unavailable', e.message);
  if (e instanceof TransientError) return new ReadFailure('unreachable', e.message);
  return new ReadFailure('bad_reply', errorMessage(e));
}
