/**
 * Makes strings fit the protocol's text rules before they go into a status document: no control, line
 * separator or bidi characters (they become `?`), and a length cap that never splits a surrogate pair.
 * Process names, inhibitor reasons and command output are untrusted; this runs on all of them.
 */
import { UNSAFE_CHARS } from '../../common/unsafe-text';

const UNSAFE = new RegExp(`[${UNSAFE_CHARS}]`, 'g');

export function protocolText(text: string, max: number): string {
  let clean = text.replace(UNSAFE, '?');
  if (clean.length > max) {
    clean = clean.slice(0, max);
    const last = clean.charCodeAt(clean.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) clean = clean.slice(0, -1);
  }
  return clean;
}

/** `process:<name>` / `custom:<name>` with the name made protocol-safe (1–128 characters). */
export function namedReason(prefix: 'process' | 'custom', name: string): string {
  const clean = protocolText(name.trim(), 128);
  return `${prefix}:${clean === '' ? '?' : clean}`;
}
