import { distance } from 'fastest-levenshtein';

/** The closest candidate to a mistyped name, if it is close enough to be the likely intent. */
export function suggest(input: string, candidates: readonly string[]): string | null {
  const upper = input.toUpperCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === upper) return candidate;
    const d = distance(upper, candidate);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  const allowed = Math.max(2, Math.floor(upper.length / 4));
  return best !== null && bestDistance <= allowed ? best : null;
}
