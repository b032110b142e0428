// A stand-in for a Windows tool (powercfg.exe, shutdown.exe …) in the Windows suite, built into a
// single-executable Node application (windows-node.ts) and copied under the tool's name. It appends its
// arguments as one JSON line to <name>.calls next to itself, then does what <name>.json next to itself
// says: {"stdoutFile": Windows path of bytes to print, "sleepMs": then wait, "exitCode": then exit with}.
const fs = require('fs');
const { setTimeout } = require('timers');

const base = process.execPath.replace(/\.exe$/i, '');
fs.appendFileSync(`${base}.calls`, `${JSON.stringify(process.argv.slice(2))}\n`);
let spec = {};
try {
  spec = JSON.parse(fs.readFileSync(`${base}.json`, 'utf8'));
} catch {
  // no instructions: exit 0, print nothing
}
if (spec.stdoutFile) fs.writeSync(1, fs.readFileSync(spec.stdoutFile));
setTimeout(() => {
  process.exitCode = spec.exitCode ?? 0;
}, spec.sleepMs ?? 0);
