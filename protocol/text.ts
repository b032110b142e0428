import { z } from 'zod';

/**
 * Characters no protocol string may hold: C0/C1 controls, DEL, line/paragraph separators and bidi
 * overrides. Guests are untrusted; these could forge log lines or hide text on the host's terminal.
 */
export const SAFE_TEXT_PATTERN = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$/;

/** A bounded string without control characters. */
export function safeText(max: number, min = 0) {
  return z.string().min(min).max(max).regex(SAFE_TEXT_PATTERN, 'must not contain control characters');
}
