import { z } from 'zod';

import { SAFE_TEXT_PATTERN } from '../common/unsafe-text';

/** No protocol string may hold a control, line-separator or bidi character (common/unsafe-text.ts). */
export { SAFE_TEXT_PATTERN };

/** A bounded string without control characters. */
export function safeText(max: number, min = 0) {
  return z.string().min(min).max(max).regex(SAFE_TEXT_PATTERN, 'must not contain control characters');
}
