// Preloaded with `node --require` by bench/host-cycle.ts and bench/tray.bench.ts: prints the process's peak RSS
// on exit.
const fs = require('fs');
process.on('exit', () => {
  fs.writeSync(2, `\nBENCH_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
