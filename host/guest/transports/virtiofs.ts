/**
 * TRANSPORT=virtiofs: the agent writes status.json into a directory shared from the host; the host reads it
 * locally. The guest controls that directory, so the file is opened without following a symlink, must be a
 * regular file, and is read up to the size limit only.
 */
import * as path from 'path';
import { FileTooLargeError, readFileCapped } from '../../../common/atomic-file';
import { MAX_STATUS_BYTES } from '../../../protocol';
import { ReadFailure } from '../read-failure';
import type { StatusTransport } from '../types';

export const VIRTIOFS_STATUS_FILE = 'status.json';

export function createVirtiofsTransport(): StatusTransport {
  return {
    name: 'virtiofs',
    describe: (guest) => `virtiofs: ${path.join(guest.virtiofsDir, VIRTIOFS_STATUS_FILE)}`,
    async read(guest) {
      const file = path.join(guest.virtiofsDir, VIRTIOFS_STATUS_FILE);
      try {
        return await readFileCapped(file, MAX_STATUS_BYTES);
      } catch (e) {
        if (e instanceof FileTooLargeError)
          throw new ReadFailure('too_large', `${file} is larger than ${MAX_STATUS_BYTES} bytes`);
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') throw new ReadFailure('no_file', `${file} does not exist`);
        if (code === 'ELOOP') throw new ReadFailure('refused', `${file} is a symlink; refusing to follow it`);
        if (code === 'EINVAL') throw new ReadFailure('refused', `${file} is not a regular file`);
        throw new ReadFailure('unreachable', `${file}: ${(e as Error).message}`);
      }
    },
  };
}
