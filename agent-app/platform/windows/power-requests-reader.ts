/**
 * The tray side: a power-request probe that reads the SYSTEM task's snapshot instead of running powercfg
 * (which the user may not). Plugged into the core's power_requests check, so the user's `ignore` list, the
 * reason `power_request` and details.power_requests work exactly as for any other source.
 *
 * No file = the task is not installed (a portable copy), and a task that found no powercfg: the check is left
 * out. A stale or broken file, or one where powercfg failed, = the check is `unknown` with the reason in its
 * detail.
 */
import { readFileCapped } from '../../../common/atomic-file';
import { UnavailableError } from '../../../common/errors';
import type { PowerRequestProbe } from '../../core/checks/power-requests';
import { MAX_SNAPSHOT_BYTES, parseSnapshot, staleness } from './power-requests-snapshot';

export const TASK_NAME = '\\ProxmoxSleep\\PowerRequests';

export function createSnapshotPowerRequestProbe(options: {
  file: string;
  now: () => number;
}): PowerRequestProbe {
  return {
    async read() {
      let bytes: Buffer;
      try {
        bytes = await readFileCapped(options.file, MAX_SNAPSHOT_BYTES);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT')
          throw new UnavailableError(
            `${options.file} does not exist (the installer's task ${TASK_NAME} writes it)`,
            'power-requests-task',
          );
        throw e;
      }
      const snapshot = parseSnapshot(bytes);
      const stale = staleness(snapshot, options.now());
      if (stale !== null)
        throw new Error(`the power-request list is stale (${stale}); is the task ${TASK_NAME} running?`);
      if (snapshot.unavailable)
        throw new UnavailableError(
          `task ${TASK_NAME}: ${snapshot.error ?? 'powercfg is not available'}`,
          'powercfg',
        );
      if (snapshot.error !== null)
        throw new Error(`powercfg /requests (task ${TASK_NAME}): ${snapshot.error}`);
      return {
        requests: snapshot.requests.map((r) => ({ who: r.who, why: r.why, kind: r.kind })),
        source: `${snapshot.source}, via task`,
      };
    },
  };
}
