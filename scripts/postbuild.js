// After tsc: makes the two command entry points executable (bin contract: dist/host/cli.js and
// dist/agent-app/daemon/cli.js; missing entries are skipped so partial builds still work), and removes
// compiled modules whose source is gone. tsc never deletes: a module moved to a folder of the same name
// (host/wiring.ts -> host/wiring/index.ts) would otherwise leave dist/host/wiring.js shadowing the folder.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const COMPILED = ['protocol', 'common', 'host', 'agent-app', 'lab', 'scripts', 'bench'];
/** Outputs other build steps write next to compiled modules (the tray's bundles). */
const GENERATED = [path.join('agent-app', 'electron', 'bundles')];

function removeOrphans(rel) {
  const dir = path.join(root, 'dist', rel);
  if (!fs.existsSync(dir) || GENERATED.includes(rel)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const child = path.join(rel, entry.name);
    if (entry.isDirectory()) removeOrphans(child);
    else if (entry.name.endsWith('.js')) {
      const source = path.join(root, child.slice(0, -'.js'.length));
      if (!['.ts', '.js', '.cjs'].some((ext) => fs.existsSync(source + ext)))
        fs.rmSync(path.join(root, 'dist', child));
    }
  }
  if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
}

for (const rel of COMPILED) removeOrphans(rel);
for (const rel of ['dist/host/cli.js', 'dist/agent-app/daemon/cli.js']) {
  const file = path.join(root, rel);
  if (fs.existsSync(file)) fs.chmodSync(file, 0o755);
}
