import { existsSync, readFileSync } from 'fs';
import * as path from 'path';

/**
 * The repository's source folder, found from this module's location so that the same code works from the
 * TypeScript sources (ts-jest) and from dist/ (npm scripts): the image recipe is read from the source tree in
 * both cases, so both compute the same cache key. dist/ holds a copy of package.json but no tsconfig.json.
 */
export function repoRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      existsSync(path.join(dir, 'tsconfig.json')) &&
      JSON.parse(readFileSync(manifest, 'utf8')).name === 'proxmox-sleep'
    )
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the proxmox-sleep source tree above ${from}`);
  }
}
