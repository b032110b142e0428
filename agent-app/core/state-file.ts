/**
 * One small JSON setting in the agent's state directory (which survives reboots), such as the block
 * override or the user's wake time. Written atomically; a missing, unreadable or malformed file means "not
 * set" (with a warning for the latter two).
 */
import * as path from 'path';
import { ensureRealDirectory, readFileCapped, writeFileAtomic } from '../../common/atomic-file';

export interface StateFile<T> {
  read(): Promise<T | null>;
  write(value: T | null): Promise<void>;
  readonly file: string;
}

export interface StateFileFormat<T> {
  /** The setting in the file's text, or null when it is not set; throws when the text is malformed. */
  parse(text: string): T | null;
  format(value: T | null): string;
}

export function createStateFile<T>(
  stateDir: string,
  name: string,
  format: StateFileFormat<T>,
  onProblem?: (message: string) => void,
): StateFile<T> {
  const file = path.join(stateDir, name);
  return {
    file,
    async read() {
      let text: string;
      try {
        text = (await readFileCapped(file, 4096)).toString('utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
          onProblem?.(`cannot read ${file}: ${(e as Error).message}`);
        return null;
      }
      try {
        return format.parse(text);
      } catch (e) {
        onProblem?.(`ignoring ${file}: ${(e as Error).message}`);
        return null;
      }
    },
    async write(value) {
      // On Windows the host's commands run as SYSTEM in a folder users can write to: never follow a link there.
      await ensureRealDirectory(stateDir);
      await writeFileAtomic(file, format.format(value), 0o644);
    },
  };
}
