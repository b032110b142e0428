/** Major version of the status and command protocol. Additive changes keep it; a breaking change bumps it. */
export const PROTOCOL_VERSION = 1;

/** A status file larger than this is refused unread. */
export const MAX_STATUS_BYTES = 64 * 1024;

/** A command reply line larger than this is refused. */
export const MAX_REPLY_BYTES = 4 * 1024;
