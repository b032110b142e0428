/**
 * Power requests / sleep inhibitors held by programs (Linux logind `block` locks on `sleep`, Windows
 * `powercfg /requests`, macOS assertions that prevent idle sleep). Probes already drop the known noise;
 * the user's `ignore` list removes more (case-insensitive text match on "who: why").
 */
import { active, idle, type AgentCheck } from '../agent-check';

export interface PowerRequest {
  /** The program or driver holding it. */
  who: string;
  /** Its stated reason (may be empty). */
  why: string;
  /** The OS's category: "sleep", "SYSTEM", "PreventUserIdleSystemSleep" … */
  kind: string;
}

export interface PowerRequestProbe {
  /** Requests that prevent sleep, known noise removed. Throws UnavailableError without a source. */
  read(signal: AbortSignal): Promise<{ requests: PowerRequest[]; source: string }>;
  close?(): Promise<void>;
}

export const describeRequest = (r: PowerRequest): string => (r.why ? `${r.who}: ${r.why}` : r.who);

export function create(
  config: { ignore: readonly string[] },
  deps: { probe: PowerRequestProbe },
): AgentCheck {
  const ignore = config.ignore.map((s) => s.toLowerCase());
  return {
    name: 'power_requests',
    reason: 'power_request',
    close: deps.probe.close ? () => deps.probe.close!() : undefined,
    async run({ signal }) {
      const { requests, source } = await deps.probe.read(signal);
      const counted = requests
        .map(describeRequest)
        .filter((text) => !ignore.some((pattern) => text.toLowerCase().includes(pattern)));
      const details = { power_requests: counted };
      return counted.length > 0
        ? active(
            'power_request',
            `${counted.length} held (${source}): ${counted.slice(0, 3).join('; ')}`,
            details,
          )
        : idle(`none (${source})`, details);
    },
  };
}
