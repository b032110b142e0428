/**
 * Keeps the tray, the status window and the notice check in step with the agent, and makes the agent look
 * again when something outside it changed: the block and wake-at files (the CLI), the end of a block, a wake-up.
 */
import type { Clock } from '../../../common/clock';
import { watchFile } from '../../platform/shared/watch-file';
import type { StatusSnapshot } from '../ipc-channels';
import { blockEnd } from '../shared/describe';
import type { TrayController } from '../tray/tray-controller';
import type { NoticeWatcher } from './notice-watcher';
import type { TrayAgent } from './tray-agent';

export interface WakeEvents {
  on(event: 'resume' | 'unlock-screen', listener: () => void): unknown;
  removeListener(event: 'resume' | 'unlock-screen', listener: () => void): unknown;
}

export interface LiveUpdateDeps {
  trayAgent: TrayAgent;
  tray: Pick<TrayController, 'update'>;
  statusWindow: { send(snapshot: StatusSnapshot): void };
  notices: Pick<NoticeWatcher, 'check'>;
  clock: Clock;
  powerMonitor: WakeEvents;
}

/** Starts listening; the returned function stops everything it started. */
export function connectLiveUpdates(deps: LiveUpdateDeps): () => void {
  const { trayAgent, clock } = deps;
  const { agent } = trayAgent;
  // When a block runs out, republish at once (not at the next interval) so the host sees it end.
  let blockTimer: unknown = null;
  const stopListening = agent.onStatus((status) => {
    const now = clock.now();
    clock.clearTimeout(blockTimer);
    const end = blockEnd(status.block);
    blockTimer =
      end !== null && end > now ? clock.setTimeout(() => void agent.refreshBlock(), end - now + 100) : null;
    trayAgent.record(status);
    deps.tray.update({ status, writeError: trayAgent.writeError() });
    deps.statusWindow.send(trayAgent.snapshot());
    void deps.notices.check();
  });
  const stopBlockWatch = watchFile(trayAgent.blockFile, () => void agent.refreshBlock());
  const stopWakeWatch = watchFile(trayAgent.wakeFile, () => void agent.refreshWake());
  const onWake = () => void agent.evaluate();
  deps.powerMonitor.on('resume', onWake);
  deps.powerMonitor.on('unlock-screen', onWake);
  return () => {
    stopListening();
    stopBlockWatch();
    stopWakeWatch();
    deps.powerMonitor.removeListener('resume', onWake);
    deps.powerMonitor.removeListener('unlock-screen', onWake);
    clock.clearTimeout(blockTimer);
  };
}
