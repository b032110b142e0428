/**
 * Characters no text from a guest may carry into a status document, a log line or a terminal: C0 and C1
 * controls, DEL, the Unicode line/paragraph separators and the bidi overrides. They could forge log lines or
 * hide text. One definition for the protocol's schemas, the agent's cleaning and the host's log sanitiser.
 */
export const UNSAFE_CHARS = '\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';

/** A whole string without any unsafe character. */
export const SAFE_TEXT_PATTERN = new RegExp(`^[^${UNSAFE_CHARS}]*$`);

/**
 * A reason word: lowercase, optionally with `:<detail>` of 1–128 safe characters (`process:steam.exe`). The
 * protocol accepts it and the agent checks what it writes against it.
 */
export const REASON_PATTERN = new RegExp(`^[a-z][a-z0-9_]{0,63}(:[^${UNSAFE_CHARS}]{1,128})?$`);
