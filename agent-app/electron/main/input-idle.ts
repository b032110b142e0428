/**
 * Keyboard and mouse idle time for the tray. Electron's `powerMonitor.getSystemIdleTime()` is right on
 * Windows, macOS and X11; on Wayland it returns 0 or misses keyboard-only input (electron/electron#27912,
 * #34826), so there the core's Linux probes (GNOME Mutter IdleMonitor, then logind's IdleHint) are used.
 * The session type comes from the environment the desktop started us with; the status says which source
 * answered (details.user_idle_source).
 */
import { UnavailableError } from '../../../common/errors';
import type { InputIdleProbe } from '../../core/checks/input-idle';
import { createInputIdleChain, type InputIdleSource } from '../../platform/linux/input-idle';

export type SessionKind = 'windows' | 'macos' | 'x11' | 'wayland' | 'none';

export function sessionKind(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): SessionKind {
  if (platform === 'win32') return 'windows';
  if (platform === 'darwin') return 'macos';
  const type = (env.XDG_SESSION_TYPE ?? '').toLowerCase();
  if (type === 'wayland') return 'wayland';
  if (type === 'x11') return 'x11';
  if (env.WAYLAND_DISPLAY) return 'wayland';
  if (env.DISPLAY) return 'x11';
  return 'none';
}

/** The part of Electron's powerMonitor this needs. */
export interface IdleTimeSource {
  getSystemIdleTime(): number;
}

export const ELECTRON_SOURCE = 'electron';

export function createTrayInputProbe(deps: {
  kind: SessionKind;
  powerMonitor: IdleTimeSource;
  /** Used on Wayland, in this order (from the configuration's `checks.input.sources`). */
  waylandSources: readonly InputIdleSource[];
  close?: () => Promise<void>;
}): InputIdleProbe {
  if (deps.kind === 'wayland') {
    if (deps.waylandSources.length === 0)
      return {
        close: deps.close,
        read: async () => {
          throw new UnavailableError(
            'Wayland session and neither "mutter" nor "logind" in checks.input.sources',
            'input',
          );
        },
      };
    return createInputIdleChain(deps.waylandSources, deps.close);
  }
  return {
    close: deps.close,
    async read() {
      if (deps.kind === 'none')
        throw new UnavailableError('no graphical session (no DISPLAY or WAYLAND_DISPLAY)', 'input');
      const seconds = deps.powerMonitor.getSystemIdleTime();
      if (!Number.isFinite(seconds) || seconds < 0)
        throw new Error(`powerMonitor returned ${String(seconds)}`);
      return { idleSeconds: seconds, source: ELECTRON_SOURCE };
    },
  };
}
