/**
 * Runs the agent's loop until the app quits, and winds everything down in an order where nothing can start
 * new work (a watched file changing, a wake-up) while the agent stops.
 */
import { app } from 'electron';
import type { Logger } from '../../../common/log';
import type { TrayAgent } from './tray-agent';
import type { TrayUi } from './tray-ui';

export interface LifecycleDeps {
  trayAgent: TrayAgent;
  ui: Pick<TrayUi, 'tray' | 'statusWindow'>;
  /** Stops the inputs that could start an evaluation (status listeners, watchers, wake events). */
  stopInputs(): void;
  /** Stops answering the status window. */
  stopIpc(): void;
  logger: Logger;
}

/** Starts the loop; returns the shutdown, which the app's before-quit also runs (once). */
export function runUntilQuit(deps: LifecycleDeps): () => Promise<void> {
  const { agent, composition } = deps.trayAgent;
  const loop = new AbortController();
  const running = agent.run({ signal: loop.signal });
  let closing: Promise<void> | null = null;
  const shutdown = () => {
    closing ??= (async () => {
      deps.stopInputs();
      loop.abort();
      await running.catch(() => undefined);
      deps.stopIpc();
      deps.ui.statusWindow.close();
      deps.ui.tray.destroy();
      await agent.close();
      await composition.close();
      deps.logger.info('stopped');
    })();
    return closing;
  };
  app.on('before-quit', (event) => {
    if (closing === null) {
      event.preventDefault();
      void shutdown().then(() => app.quit());
    }
  });
  return shutdown;
}
