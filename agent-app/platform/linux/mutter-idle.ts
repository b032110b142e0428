/**
 * GNOME input idle time: `org.gnome.Mutter.IdleMonitor.GetIdletime` (milliseconds) on each logged-in user's
 * session bus.
 */
import type { DbusPool } from './dbus';
import type { InputIdleSource } from './input-idle';
import { createSessionBusIdleSource } from './session-bus-idle';

export const MUTTER_IDLE = {
  destination: 'org.gnome.Mutter.IdleMonitor',
  path: '/org/gnome/Mutter/IdleMonitor/Core',
  interface: 'org.gnome.Mutter.IdleMonitor',
  member: 'GetIdletime',
} as const;

export function createMutterIdleSource(options: {
  pool: DbusPool;
  addresses: () => Promise<string[]>;
}): InputIdleSource {
  return createSessionBusIdleSource({
    ...options,
    name: 'mutter',
    call: MUTTER_IDLE,
    absent: 'no GNOME session (Mutter IdleMonitor) on any session bus',
  });
}
