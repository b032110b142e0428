/** What the agent CLI may touch of the outside world; tests pass their own. */
import type { Clock } from '../../common/clock';

export interface AgentIo {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  clock: Clock;
  /** Resolves once the text is flushed (a reply must be out before the guest hibernates). */
  stdout(text: string): Promise<void>;
  stderr(text: string): void;
  /** Aborted on SIGTERM / SIGINT; stops `run`. */
  shutdown: AbortSignal;
}
