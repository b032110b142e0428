/** Setting or clearing the user's wake time from a request; the `wake-at` command uses it. */
import type { Logger } from '../../../common/log';
import { applySetting, type SettingOutcome } from '../apply-setting';
import { describeWakeAt, wakeAtFromRequest, type WakeAtRequest } from './wake-at';
import type { WakeStore } from './wake-store';

export function applyWakeAt(
  store: WakeStore,
  request: WakeAtRequest,
  now: number,
  source: string,
  logger: Logger,
): Promise<SettingOutcome> {
  return applySetting({
    store,
    build: () => wakeAtFromRequest(request, now, source),
    describe: describeWakeAt,
    what: 'the wake time',
    source,
    logger,
  });
}
