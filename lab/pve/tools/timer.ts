/**
 * Applies a guest's pending transition on time (started detached whenever one is set), so guest processes
 * stop when a hibernation finishes even if nobody asks about the guest. Usage: timer.js <lab folder> <id>.
 */
import { materialize } from '../power';
import { readGuest } from '../state';

export async function main(argv: string[]): Promise<void> {
  const [dir, id] = argv;
  for (;;) {
    const g = readGuest(dir, id);
    if (!g || !g.pending) return;
    const wait = g.pending.at - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, 60000)));
    try {
      materialize(dir, id);
    } catch {
      return; // the lab folder is gone
    }
  }
}

if (require.main === module) void main(process.argv.slice(2));
