import { UNSAFE_CHARS } from './unsafe-text';

const UNSAFE = new RegExp(`[${UNSAFE_CHARS}]`, 'g');

/** Makes untrusted text safe for one log line: control characters become \u escapes, length is capped. */
export function sanitizeForLog(text: string, maxLength = 200): string {
  const escaped = text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > maxLength
    ? `${escaped.slice(0, maxLength)}…(${escaped.length - maxLength} more)`
    : escaped;
}
