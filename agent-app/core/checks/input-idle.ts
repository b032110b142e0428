/**
 * User input: active when the last keyboard/mouse input is more recent than `activeWithinSeconds`. The
 * window is short on purpose (default 60 s): the host applies the long idle timeout through idle_seconds,
 * so this check only has to see that someone is at the machine now (anchor rule 24).
 */
import { ConfigError } from '../../../common/errors';
import { active, idle, type AgentCheck } from '../agent-check';

export interface InputIdleReading {
  /** Seconds since the last input. */
  idleSeconds: number;
  /** Where the reading came from: "x11", "mutter", "kde", "logind", "electron" … */
  source: string;
  /** Why the reading may not mean what it says (shown in the check's detail). */
  note?: string;
}

export interface InputIdleProbe {
  /** Throws UnavailableError when this guest has no source of input idle time (a headless server). */
  read(signal: AbortSignal): Promise<InputIdleReading>;
  close?(): Promise<void>;
}

export interface InputIdleConfig {
  activeWithinSeconds: number;
}

export function create(config: InputIdleConfig, deps: { probe: InputIdleProbe }): AgentCheck {
  if (!(Number.isFinite(config.activeWithinSeconds) && config.activeWithinSeconds > 0)) {
    throw new ConfigError([
      {
        severity: 'error',
        file: null,
        line: null,
        key: 'checks.input.activeWithinSeconds',
        message: 'must be a positive number of seconds',
      },
    ]);
  }
  return {
    name: 'input',
    reason: 'user_input',
    close: deps.probe.close ? () => deps.probe.close!() : undefined,
    async run({ signal }) {
      const reading = await deps.probe.read(signal);
      const seconds = Math.max(0, Math.floor(reading.idleSeconds));
      const details = { user_idle_seconds: seconds, user_idle_source: reading.source };
      const from = reading.note ? `${reading.source}: ${reading.note}` : reading.source;
      return seconds < config.activeWithinSeconds
        ? active('user_input', `input ${seconds}s ago (< ${config.activeWithinSeconds}s, ${from})`, details)
        : idle(`no input for ${seconds}s (${from})`, details);
    },
  };
}
