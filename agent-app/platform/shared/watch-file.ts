/**
 * Calls back (debounced) when a file in a folder changes. Watching the folder, not the file, catches
 * atomic replacements (rename over the old file). A folder that cannot be watched returns a no-op: the
 * callers also check on every status interval, so a missed event only costs latency.
 */
import { watch } from 'fs';
import * as path from 'path';

export function watchFile(file: string, onChange: () => void, debounceMs = 100): () => void {
  const dir = path.dirname(file);
  const name = path.basename(file);
  let timer: NodeJS.Timeout | undefined;
  try {
    const watcher = watch(dir, { persistent: false }, (_event, changed) => {
      if (changed !== null && path.basename(String(changed)) !== name) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, debounceMs);
    });
    watcher.on('error', () => watcher.close());
    return () => {
      clearTimeout(timer);
      watcher.close();
    };
  } catch {
    return () => undefined;
  }
}
