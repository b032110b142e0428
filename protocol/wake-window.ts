/**
 * The instants a `next_wake_at` may name: anything outside these years comes from a broken clock or a
 * hostile guest. Without zod, so the resident agent can check what it writes without loading the schemas.
 */
const EARLIEST_WAKE = Date.UTC(2000, 0, 1);
const LATEST_WAKE = Date.UTC(2100, 0, 1);

export function inWakeWindow(ms: number): boolean {
  return ms >= EARLIEST_WAKE && ms < LATEST_WAKE;
}
