// Builds dist/ when any source is newer than the last build (dist/.build-stamp), so that `npm start` and the
// test suites always run the current code without rebuilding every time.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const SOURCE_DIRS = ['protocol', 'common', 'host', 'agent-app', 'lab', 'scripts', 'bench'];
const STAMP = path.join(root, 'dist', '.build-stamp');

function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.name.endsWith('.ts') || entry.name.endsWith('.json'))
      newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function isStale() {
  const sources = Math.max(
    ...SOURCE_DIRS.map((d) => newestMtime(path.join(root, d))),
    fs.statSync(path.join(root, 'package.json')).mtimeMs,
  );
  const built = fs.existsSync(STAMP) ? fs.statSync(STAMP).mtimeMs : 0;
  return built < sources;
}

/** Runs `npm run build` when dist/ is missing or older than a source; returns whether it built. */
function buildIfStale(options = {}) {
  if (!isStale()) return false;
  if (options.announce) options.announce();
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  fs.writeFileSync(STAMP, new Date().toISOString());
  return true;
}

module.exports = { buildIfStale };
