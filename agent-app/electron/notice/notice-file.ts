/**
 * The pre-sleep notice, handed from the `notify` command (run by the host in the guest, as SYSTEM or
 * root) to the tray (running as the desktop user) through a small file next to the status file:
 *
 *   notice.json        {"schema": 1, "id": "9f2c…", "message": "…", "seconds": 60, "written_at": "…"}
 *   notice-shown.json  {"schema": 1, "id": "9f2c…", "shown_at": "…"}   (the tray's acknowledgement)
 *
 * A file works the same on every OS, across sessions and users, needs no listening socket, and lets the
 * host write the notice directly (QGA guest-file-write) where no CLI is installed. The tray treats the
 * content as untrusted: size-capped, validated, text cleaned before it is shown.
 */
import { randomBytes } from 'crypto';
import * as path from 'path';
import { z } from 'zod/v3';
import { ensureRealDirectory, readFileCapped, writeFileAtomic } from '../../../common/atomic-file';
import { SAFE_TEXT_PATTERN } from '../../../common/unsafe-text';
import { protocolText } from '../../core/text';

export const NOTICE_SCHEMA = 1;
export const MAX_NOTICE_BYTES = 4096;
/** A notice is still shown this long after the announced sleep (a tray that was busy starting). */
const LATE_GRACE_MS = 5000;
/** Clocks of the writer and the tray are the same machine's; allow a little skew, no more. */
const FUTURE_SKEW_MS = 60_000;

const NoticeSchema = z
  .object({
    schema: z.literal(NOTICE_SCHEMA),
    id: z.string().regex(/^[0-9a-f]{8,64}$/),
    message: z.string().max(500).regex(SAFE_TEXT_PATTERN, 'contains control characters'),
    seconds: z.number().int().min(0).max(3600),
    written_at: z.string().datetime({ offset: true }),
  })
  .strict();

const ShownSchema = z
  .object({
    schema: z.literal(NOTICE_SCHEMA),
    id: z.string().regex(/^[0-9a-f]{8,64}$/),
    shown_at: z.string().datetime({ offset: true }),
  })
  .strict();

export type Notice = z.infer<typeof NoticeSchema>;

export const noticeFile = (statusFile: string): string => path.join(path.dirname(statusFile), 'notice.json');
export const noticeShownFile = (statusFile: string): string =>
  path.join(path.dirname(statusFile), 'notice-shown.json');

export function buildNotice(
  message: string,
  seconds: number,
  now: number,
  id = randomBytes(8).toString('hex'),
): Notice {
  return {
    schema: NOTICE_SCHEMA,
    id,
    message: protocolText(message, 500),
    seconds: Math.max(0, Math.min(3600, Math.round(seconds))),
    written_at: new Date(now).toISOString(),
  };
}

/** Validates the bytes; throws with the first bad field. */
export function parseNotice(bytes: Uint8Array): Notice {
  if (bytes.byteLength > MAX_NOTICE_BYTES) throw new Error(`larger than ${MAX_NOTICE_BYTES} bytes`);
  const result = NoticeSchema.safeParse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${issue.path.map(String).join('.') || '(document)'}: ${issue.message}`);
  }
  return result.data;
}

/** When the host said it will sleep (ms since the epoch). */
export const sleepsAt = (notice: Notice): number => Date.parse(notice.written_at) + notice.seconds * 1000;

/** True when this notice has not been shown yet and still announces something ahead (or just now). */
export function noticeDue(notice: Notice, lastShownId: string | null, now: number): boolean {
  if (notice.id === lastShownId) return false;
  const written = Date.parse(notice.written_at);
  if (written - now > FUTURE_SKEW_MS) return false;
  return now <= sleepsAt(notice) + LATE_GRACE_MS;
}

/** Writes into a real folder only (a planted symlink or junction is refused, not followed). */
async function writeInto(file: string, text: string): Promise<void> {
  await ensureRealDirectory(path.dirname(file));
  await writeFileAtomic(file, text, 0o644);
}

export const writeNotice = (file: string, notice: Notice): Promise<void> =>
  writeInto(file, `${JSON.stringify(notice)}\n`);

/** The notice in the file, or null when there is none (a broken file reads as none too). */
export async function readNotice(file: string): Promise<Notice | null> {
  try {
    return parseNotice(await readFileCapped(file, MAX_NOTICE_BYTES));
  } catch {
    return null;
  }
}

export const writeNoticeShown = (file: string, id: string, now: number): Promise<void> =>
  writeInto(
    file,
    `${JSON.stringify({ schema: NOTICE_SCHEMA, id, shown_at: new Date(now).toISOString() })}\n`,
  );

/** The id the tray last acknowledged, or null. */
export async function readNoticeShown(file: string): Promise<string | null> {
  try {
    const bytes = await readFileCapped(file, 1024);
    const result = ShownSchema.safeParse(JSON.parse(bytes.toString('utf8')));
    return result.success ? result.data.id : null;
  } catch {
    return null;
  }
}
