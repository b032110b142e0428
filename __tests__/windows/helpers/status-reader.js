// For the Windows suite: reads the status file the way the host does (capped read, the protocol's parser),
// every 20 ms (far more often than any host) until <stop-file> appears, and prints what it saw: documents parsed, the seq
// numbers seen, torn or invalid ones, open errors. <ready-file> is written after the first good read.
const fs = require('fs');
const path = require('path');
const { setTimeout: sleep } = require('timers/promises');

const dist = path.join(__dirname, '..', '..', '..', 'dist');
const { readFileCapped } = require(path.join(dist, 'common', 'atomic-file.js'));
const { safeParseStatus } = require(path.join(dist, 'protocol', 'parse.js'));
const { MAX_STATUS_BYTES } = require(path.join(dist, 'protocol', 'version.js'));

async function main() {
  const [file, stopFile, readyFile] = process.argv.slice(2);
  const seen = { parsed: 0, seqs: new Set(), invalid: [], errors: {} };
  while (!fs.existsSync(stopFile)) {
    try {
      const parsed = safeParseStatus(await readFileCapped(file, MAX_STATUS_BYTES));
      if (parsed.ok) {
        seen.parsed += 1;
        seen.seqs.add(parsed.value.seq);
        if (seen.parsed === 1) fs.writeFileSync(readyFile, '');
      } else if (seen.invalid.length < 5) seen.invalid.push(parsed.error.message);
    } catch (e) {
      seen.errors[e.code ?? e.message] = (seen.errors[e.code ?? e.message] ?? 0) + 1;
    }
    await sleep(20);
  }
  process.stdout.write(`${JSON.stringify({ ...seen, seqs: seen.seqs.size })}\n`);
}

main();
