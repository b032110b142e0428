/** What the user asks of the tray: a menu item, or a flag on the command line of a (second) start. */
import type { Clock } from '../../../common/clock';
import { errorMessage } from '../../../common/errors';
import type { Logger } from '../../../common/log';
import type { TrayAgent } from './tray-agent';
import type { TrayNotifications } from './notifications';
import type { MenuAction } from '../tray/menu-model';
import { blockRequestFromArg, type LaunchCommand } from './launch-args';
import type { LoginItem } from './login-item';

export interface MenuActionDeps {
  trayAgent: Pick<TrayAgent, 'setPreset'>;
  notifications: Pick<TrayNotifications, 'tell'>;
  loginItem: LoginItem;
  openStatus(): void;
  /** Redraws the menu (the login item's check mark). */
  refreshMenu(): void;
  quit(): void;
}

export function menuActionHandler(deps: MenuActionDeps): (action: MenuAction) => Promise<void> {
  const { tell } = deps.notifications;
  return async (action) => {
    switch (action.type) {
      case 'block': {
        const reply = await deps.trayAgent.setPreset(action.preset, 'tray');
        if (!reply.success) tell('Could not change the sleep block', reply.message);
        return;
      }
      case 'open-status':
        deps.openStatus();
        return;
      case 'toggle-login':
        try {
          await deps.loginItem.set(!deps.loginItem.enabled());
        } catch (e) {
          tell('Could not change "Start at login"', errorMessage(e));
        }
        deps.refreshMenu();
        return;
      case 'quit':
        deps.quit();
        return;
    }
  };
}

export interface LaunchDeps {
  trayAgent: Pick<TrayAgent, 'agent' | 'setBlock'>;
  notifications: Pick<TrayNotifications, 'tell'>;
  clock: Clock;
  logger: Logger;
  openStatus(): void;
}

export function launchHandler(deps: LaunchDeps): (commands: readonly LaunchCommand[]) => Promise<void> {
  const { tell } = deps.notifications;
  return async (commands) => {
    for (const command of commands) {
      if (command.kind === 'status') deps.openStatus();
      else if (command.kind === 'usage') tell('Proxmox Sleep Agent', command.message);
      else if (command.kind === 'block') {
        const request = blockRequestFromArg(command.value, deps.clock.now());
        const reply = await deps.trayAgent.setBlock(request, 'command line');
        tell(reply.success ? 'Sleep block changed' : 'Could not change the sleep block', reply.message);
      } else if (command.kind === 'hibernate') {
        await deps.trayAgent.agent.power('hibernate', async (reply) => {
          deps.logger.info(`hibernate (command line): ${reply.message}`);
          if (!reply.success) tell('Could not hibernate', reply.message);
        });
      }
    }
  };
}
