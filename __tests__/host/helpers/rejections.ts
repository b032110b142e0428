/** How a promise the host code returns was rejected, for tests that expect a particular failure. */
import { GuestAgentError } from '../../../host/proxmox/types';
import { ReadFailure } from '../../../host/guest';

/** The GuestAgentError code it was rejected with, `resolved`, or `other: …` for any other rejection. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return e instanceof GuestAgentError ? e.code : `other: ${String(e)}`;
  }
}

/** The ReadFailure it was rejected with; fails the test when it resolved or was rejected otherwise. */
export async function failure(p: Promise<unknown>): Promise<ReadFailure> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ReadFailure);
  return e as ReadFailure;
}
