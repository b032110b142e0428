/**
 * Newline-framed JSON over a socket, as QMP and qemu-ga speak it. Works on bytes: qemu-ga marks a
 * guest-sync-delimited reply with a 0xFF byte, which is not valid UTF-8, so everything up to the last 0xFF of a
 * line is dropped before decoding. Lines longer than `maxLineBytes` (a guest can send anything) end the stream.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly onLine: (text: string) => void,
    private readonly onOverflow: () => void,
    private readonly maxLineBytes: number,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      this.pending.push(chunk.subarray(start, nl));
      const line = Buffer.concat(this.pending);
      this.pending = [];
      this.pendingBytes = 0;
      start = nl + 1;
      const marker = line.lastIndexOf(0xff);
      const text = line
        .subarray(marker + 1)
        .toString('utf8')
        .trim();
      if (text) this.onLine(text);
    }
    if (start < chunk.length) {
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.maxLineBytes) {
        this.pending = [];
        this.pendingBytes = 0;
        this.onOverflow();
      }
    }
  }
}

/** Parses one line as a JSON object; null for anything else (stray bytes, partial output). */
export function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The `{error: {class, desc}}` of a QMP or QGA reply, as an Error. */
export class ProtocolReplyError extends Error {
  constructor(
    readonly command: string,
    readonly errorClass: string,
    readonly desc: string,
  ) {
    super(`${command}: ${errorClass}: ${desc}`);
    this.name = 'ProtocolReplyError';
  }
}

export function replyError(command: string, reply: Record<string, unknown>): ProtocolReplyError | null {
  const error = reply.error as { class?: unknown; desc?: unknown } | undefined;
  if (!error || typeof error !== 'object') return null;
  return new ProtocolReplyError(command, String(error.class ?? 'Error'), String(error.desc ?? ''));
}
