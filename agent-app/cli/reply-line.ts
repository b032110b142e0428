/** A command's answer as the host reads it: one JSON line. */
import type { Reply } from '../../protocol/commands';

/**
 * One JSON line in ASCII: anything else as a \u escape. The QEMU guest agent hands a command's output to the
 * host as bytes that Proxmox decodes as Latin-1, so UTF-8 ("≥", "→", a name with an umlaut) would arrive as
 * other characters, some of them C1 controls the protocol refuses.
 */
export function asciiJsonLine(value: unknown): string {
  const json = JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${json}\n`;
}

export const replyLine = (reply: Reply): string => asciiJsonLine(reply);
