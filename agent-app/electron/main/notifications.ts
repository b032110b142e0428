/**
 * The tray's desktop notifications: short messages (a refused block, a failed toggle) and the host's
 * pre-sleep notice with its "Keep awake" action. Shown notifications are kept referenced until closed, or
 * Electron would collect them and their buttons would stop working.
 */
import { Notification } from 'electron';
import type { Clock } from '../../../common/clock';
import type { Logger } from '../../../common/log';
import type { Reply } from '../../../protocol/commands';
import { noticeView } from '../notice/notice-view';
import type { Notice } from '../notice/notice-file';

export interface TrayNotifications {
  tell(title: string, body: string): void;
  showNotice(notice: Notice): void;
}

export interface NotificationDeps {
  platform: NodeJS.Platform;
  clock: Clock;
  logger: Logger;
  /** What "Keep awake" on the notice does. */
  keepAwake(): Promise<Reply>;
  openStatus(): void;
}

export function createNotifications(deps: NotificationDeps): TrayNotifications {
  const live = new Set<Notification>();
  const show = (n: Notification) => {
    live.add(n);
    n.on('close', () => live.delete(n));
    n.show();
  };
  const tell = (title: string, body: string) => {
    if (Notification.isSupported()) show(new Notification({ title, body, silent: true }));
  };
  const keepAwake = async () => {
    const reply = await deps.keepAwake();
    tell(reply.success ? 'This computer stays awake' : 'Could not keep this computer awake', reply.message);
  };
  const showNotice = (notice: Notice) => {
    if (!Notification.isSupported()) {
      deps.logger.warn('notifications are not supported here; the pre-sleep notice was not shown');
      return;
    }
    const view = noticeView(notice, deps.clock.now(), deps.platform);
    const n = new Notification({
      title: view.title,
      body: view.body,
      actions: view.action ? [{ type: 'button', text: view.action }] : [],
      timeoutType: 'never',
      urgency: 'critical',
    });
    n.on('action', () => void keepAwake());
    n.on('click', () => (view.clickKeepsAwake ? void keepAwake() : deps.openStatus()));
    show(n);
  };
  return { tell, showNotice };
}
