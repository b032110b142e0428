// For the Windows suite: rewrites the status file with the agent's own status writer (writes and a
// reader at the same time), alternating a short and a long document so a torn read would not parse.
// Prints {"writes": n, "failures": [...]} on stdout.
const fs = require('fs');
const path = require('path');

const dist = path.join(__dirname, '..', '..', '..', 'dist');
const { createStatusWriter } = require(path.join(dist, 'agent-app', 'core', 'status-writer.js'));

async function main() {
  const [file, count] = [process.argv[2], Number(process.argv[3])];
  const seed = JSON.parse(fs.readFileSync(file, 'utf8'));
  const writer = createStatusWriter(file);
  const failures = [];
  for (let i = 1; i <= count; i++) {
    const checks =
      i % 2 ? seed.checks : [...seed.checks, { name: 'padding', state: 'idle', detail: 'x'.repeat(400) }];
    try {
      await writer.write({ ...seed, seq: i, checks });
    } catch (e) {
      failures.push(`${e.code ?? ''} ${e.message}`);
    }
  }
  process.stdout.write(
    `${JSON.stringify({ writes: count, failures: failures.slice(0, 5), failed: failures.length })}\n`,
  );
}

main();
