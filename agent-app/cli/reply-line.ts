/** A command's answer as the host reads it: one JSON line. */
import { EXIT } from '../../common/errors';
import type { Reply } from '../../protocol/commands';
import type { SettingOutcome } from '../core/apply-setting';

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

/** The exit code for a `block` / `wake-at` outcome: 0, 64 for a bad request, 1 when it could not be saved. */
export const settingExitCode = (outcome: SettingOutcome): number =>
  outcome.failed === null ? EXIT.ok : outcome.failed === 'arguments' ? EXIT.usage : EXIT.failure;
