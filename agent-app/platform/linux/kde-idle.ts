/**
 * KDE Plasma input idle time: `GetSessionIdleTime` (milliseconds, from KIdleTime) of the
 * org.freedesktop.ScreenSaver service on each logged-in user's session bus. The object is KDE's own
 * `/ScreenSaver` (the spec's /org/freedesktop/ScreenSaver has no idle call, and other desktops' versions of
 * the call count in seconds). KIdleTime can only measure idle time on X11: Plasma 6 on Wayland refuses the
 * call with NotSupported, which makes this source unavailable with that reason (docs/agent.md, Wayland).
 */
import type { DbusPool } from './dbus';
import type { InputIdleSource } from './input-idle';
import { createSessionBusIdleSource } from './session-bus-idle';

export const KDE_IDLE = {
  destination: 'org.freedesktop.ScreenSaver',
  path: '/ScreenSaver',
  interface: 'org.freedesktop.ScreenSaver',
  member: 'GetSessionIdleTime',
} as const;

export const KDE_WAYLAND_REFUSAL =
  'KDE Plasma does not report idle time on Wayland (GetSessionIdleTime: not supported); see docs/agent.md, "Wayland"';

export function createKdeIdleSource(options: {
  pool: DbusPool;
  addresses: () => Promise<string[]>;
}): InputIdleSource {
  return createSessionBusIdleSource({
    ...options,
    name: 'kde',
    call: KDE_IDLE,
    absent: 'no KDE Plasma session (org.freedesktop.ScreenSaver at /ScreenSaver) on any session bus',
    refusals: { 'org.freedesktop.DBus.Error.NotSupported': KDE_WAYLAND_REFUSAL },
  });
}
