import { z } from 'zod';
import { ReplySchema, type Reply } from './commands';
import { StatusSchema, type Status } from './status';
import { MAX_REPLY_BYTES, MAX_STATUS_BYTES, PROTOCOL_VERSION } from './version';

export type ProtocolErrorCode =
  'empty' | 'too_large' | 'not_utf8' | 'invalid_json' | 'unsupported_schema' | 'wrong_shape';

/** Why a guest's document was refused: a code for programs, the field (if any) and a sentence for people. */
export class ProtocolError extends Error {
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
    /** Dotted path of the first offending field, e.g. `details.gpu_percent` or `checks[2].state`. */
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ProtocolError };

const decoder = new TextDecoder('utf-8', { fatal: true });

function toText(input: Uint8Array | string, limit: number, what: string): string {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size === 0) throw new ProtocolError('empty', `${what} is empty`);
  if (size > limit) throw new ProtocolError('too_large', `${what} is ${size} bytes; the limit is ${limit}`);
  if (typeof input === 'string') return input;
  try {
    return decoder.decode(input); // also drops a leading byte-order mark
  } catch {
    throw new ProtocolError('not_utf8', `${what} is not valid UTF-8`);
  }
}

function toJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const detail =
      e instanceof SyntaxError ? e.message.replace(/[^\x20-\x7e]/g, '?').slice(0, 120) : 'unparseable';
    throw new ProtocolError('invalid_json', `${what} is not valid JSON (${detail})`);
  }
}

function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function shapeError(error: z.ZodError, what: string): ProtocolError {
  const issues = error.issues.slice(0, 3).map((i) => `${fieldPath(i.path) || '(document)'}: ${i.message}`);
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return new ProtocolError(
    'wrong_shape',
    `${what} has the wrong shape: ${issues.join('; ')}${more}`,
    fieldPath(error.issues[0]?.path ?? []) || null,
  );
}

/**
 * Validates a status file as read from a guest. Refuses more than 64 KiB, bytes that are not UTF-8, invalid
 * JSON, a schema version this host does not speak, and any field of the wrong shape — with a ProtocolError
 * that names the field. Fields this version does not know are accepted and dropped.
 */
export function parseStatus(input: Uint8Array | string): Status {
  const json = toJson(toText(input, MAX_STATUS_BYTES, 'status'), 'status');
  if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
    const schema = (json as Record<string, unknown>).schema;
    if (typeof schema === 'number' && schema !== PROTOCOL_VERSION) {
      throw new ProtocolError(
        'unsupported_schema',
        `status uses protocol schema ${Number.isFinite(schema) ? schema : '?'}; this host speaks schema ${PROTOCOL_VERSION}`,
        'schema',
      );
    }
  }
  const result = StatusSchema.safeParse(json);
  if (!result.success) throw shapeError(result.error, 'status');
  return result.data;
}

/** Validates one command reply line (`{"success": …, "message": …}`). */
export function parseReply(input: Uint8Array | string): Reply {
  const text = toText(input, MAX_REPLY_BYTES, 'reply').trim();
  const result = ReplySchema.safeParse(toJson(text, 'reply'));
  if (!result.success) throw shapeError(result.error, 'reply');
  return result.data;
}

/** parseStatus without throwing. */
export function safeParseStatus(input: Uint8Array | string): ParseResult<Status> {
  try {
    return { ok: true, value: parseStatus(input) };
  } catch (e) {
    if (e instanceof ProtocolError) return { ok: false, error: e };
    throw e;
  }
}
