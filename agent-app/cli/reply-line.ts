/** A command's answer as the host reads it: one JSON line. */
import type { Reply } from '../../protocol/commands';

export const replyLine = (reply: Reply): string => `${JSON.stringify(reply)}\n`;
