import { distance } from 'fastest-levenshtein';

/**
 * Value types of configuration keys: how a raw string becomes a typed value, what the docs call it, and
 * what is used when the value is invalid (the previous release's runtime fallbacks).
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; fallback?: T };

export interface ValueType<T> {
  /** For docs and messages, e.g. "integer ≥ 0". */
  readonly describe: string;
  parse(raw: string): Parsed<T>;
  format(value: T): string;
  /** When false, an explicitly empty value is a real value (e.g. an empty list), not "use the default". */
  readonly emptyIsUnset: boolean;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });

const DIGITS = /^(0|[1-9][0-9]*)$/;

/** Integers as the previous release accepted them: digits only, no sign, no leading zeros. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER, unit = ''): ValueType<number> {
  const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `${min}–${max}`;
  return {
    describe: `integer ${range}${unit ? ` (${unit})` : ''}`,
    emptyIsUnset: true,
    parse(raw) {
      const v = raw.trim();
      if (/^0[0-9]+$/.test(v))
        return {
          ok: false,
          message: `"${raw}" has a leading zero; write ${String(Number(v))} (bash read 08 as an invalid octal number and 010 as 8)`,
        };
      if (!DIGITS.test(v)) return { ok: false, message: `"${raw}" is not a whole number ≥ 0` };
      const n = Number(v);
      if (n < min)
        return {
          ok: false,
          message: min === 1 ? `must be at least 1 (0 is not allowed here)` : `must be at least ${min}`,
        };
      if (n > max) return { ok: false, message: `must be at most ${max}` };
      return ok(n);
    },
    format: (v) => String(v),
  };
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/**
 * A duration in minutes, written as release 1.x did (a whole number of minutes) or with a unit for shorter
 * spans (trials, demos, the lab): `45s`, `10m`, `2h`. The value is in minutes, so `45s` is 0.75.
 */
export function minutes(minSeconds: number, maxMinutes: number): ValueType<number> {
  const whole = integer(0, maxMinutes, 'minutes');
  const least = minSeconds % 60 === 0 ? `${minSeconds / 60}` : `${minSeconds}s`;
  const tooShort = (): Parsed<number> => ({
    ok: false,
    message: minSeconds === 0 ? 'must be at least 0' : `must be at least ${least}`,
  });
  return {
    describe: `whole minutes (${minSeconds === 0 ? 0 : 1}–${maxMinutes}) or with a unit: 45s, 10m, 2h`,
    emptyIsUnset: true,
    parse(raw) {
      const v = raw.trim();
      const m = /^([0-9]+)([smh])$/.exec(v);
      if (!m) {
        const parsed = whole.parse(raw);
        if (parsed.ok && parsed.value * 60 < minSeconds) return tooShort();
        return parsed;
      }
      const n = integer(0).parse(m[1]);
      if (!n.ok) return { ok: false, message: `"${raw}": ${n.message}` };
      const seconds = n.value * UNIT_SECONDS[m[2]];
      if (seconds < minSeconds) return tooShort();
      if (seconds > maxMinutes * 60) return { ok: false, message: `must be at most ${maxMinutes} minutes` };
      return ok(seconds / 60);
    },
    format: (v) => (Number.isInteger(v) ? String(v) : `${Math.round(v * 60)}s`),
  };
}

/** 0 or 1. An invalid value counts as on, as in the previous release ("off only when exactly 0"). */
export const flag: ValueType<boolean> = {
  describe: '0 or 1',
  emptyIsUnset: true,
  parse(raw) {
    const v = raw.trim();
    if (v === '0') return ok(false);
    if (v === '1') return ok(true);
    return {
      ok: false,
      message: `"${raw}" is not 0 or 1; until it is fixed it counts as 1 (only exactly 0 turns this off)`,
      fallback: true,
    };
  },
  format: (v) => (v ? '1' : '0'),
};

export function oneOf<const T extends string>(values: readonly T[]): ValueType<T> {
  return {
    describe: values.join(' | '),
    emptyIsUnset: true,
    parse(raw) {
      const v = raw.trim();
      if ((values as readonly string[]).includes(v)) return ok(v as T);
      const lower = v.toLowerCase().replace(/-/g, '_');
      const near =
        values.find((x) => x.toLowerCase().replace(/-/g, '_') === lower) ??
        values.find(
          (x) => distance(x.toLowerCase(), v.toLowerCase()) <= Math.max(1, Math.floor(x.length / 4)),
        );
      return {
        ok: false,
        message: `"${raw}" is not one of ${values.join(', ')}${near ? ` (did you mean ${near}?)` : ''}`,
      };
    },
    format: (v) => v,
  };
}

export function text(
  options: { describe?: string; pattern?: RegExp; patternMessage?: string; max?: number } = {},
): ValueType<string> {
  return {
    describe: options.describe ?? 'text',
    emptyIsUnset: true,
    parse(raw) {
      if (/[\u0000-\u001f\u007f]/.test(raw))
        return { ok: false, message: 'must not contain control characters' };
      if (options.max !== undefined && raw.length > options.max)
        return { ok: false, message: `is longer than ${options.max} characters` };
      if (options.pattern && raw !== '' && !options.pattern.test(raw))
        return { ok: false, message: options.patternMessage ?? `"${raw}" is not valid` };
      return ok(raw);
    },
    format: (v) => v,
  };
}

export const absolutePath = text({
  describe: 'absolute path',
  pattern: /^\//,
  patternMessage: 'must be an absolute path (starting with /)',
});

export const url = text({
  describe: 'https URL',
  pattern: /^https:\/\/[^\s/]+(\/\S*)?$/,
  patternMessage: 'must be an https:// URL such as https://127.0.0.1:8006',
});

export const fingerprint = text({
  describe: 'SHA-256 fingerprint (AA:BB:… or 64 hex digits)',
  pattern: /^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$|^[0-9A-Fa-f]{64}$/,
  patternMessage: 'must be a SHA-256 fingerprint: 32 colon-separated hex pairs or 64 hex digits',
});

/** Comma-separated list; blanks around items are dropped. */
export function list(options: { emptyIsUnset: boolean; describe?: string }): ValueType<string[]> {
  return {
    describe: options.describe ?? 'comma-separated list',
    emptyIsUnset: options.emptyIsUnset,
    parse(raw) {
      if (/[\u0000-\u001f\u007f]/.test(raw))
        return { ok: false, message: 'must not contain control characters' };
      return ok(
        raw
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      );
    },
    format: (v) => v.join(','),
  };
}

/** Proxmox guest IDs (100–999999999), separated by spaces or commas. */
export const MIN_GUEST_ID = 100;
export const MAX_GUEST_ID = 999999999;

export function parseGuestId(token: string): Parsed<number> {
  if (!/^[1-9][0-9]*$/.test(token))
    return { ok: false, message: `"${token}" is not a guest ID (digits, no leading zero)` };
  const n = Number(token);
  if (n < MIN_GUEST_ID || n > MAX_GUEST_ID)
    return { ok: false, message: `${token} is outside Proxmox's ID range ${MIN_GUEST_ID}–${MAX_GUEST_ID}` };
  return ok(n);
}

export const guestIdList: ValueType<string[]> = {
  describe: 'guest IDs separated by spaces',
  emptyIsUnset: true,
  parse: (raw) => ok(raw.split(/[\s,]+/).filter((s) => s !== '')),
  format: (v) => v.join(' '),
};
