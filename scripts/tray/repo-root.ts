import { existsSync } from 'fs';
import * as path from 'path';

/**
 * The repository root, from sources or from their compiled copy under dist/ (which holds a copy of
 * package.json, so the marker is tsconfig.json).
 */
export function repoRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'tsconfig.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no tsconfig.json above ${from}`);
    dir = up;
  }
  return dir;
}
