// C0 and C1 control characters, DEL, and the Unicode line/paragraph separators and bidi overrides that
// can forge or hide log lines.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Makes untrusted text safe for one log line: control characters become \u escapes, length is capped. */
export function sanitizeForLog(text: string, maxLength = 200): string {
  const escaped = text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > maxLength
    ? `${escaped.slice(0, maxLength)}…(${escaped.length - maxLength} more)`
    : escaped;
}
