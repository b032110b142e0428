// Makes the two command entry points executable after tsc (bin contract: dist/host/cli.js and
// dist/agent-app/daemon/cli.js). Missing entries are skipped so partial builds still work.
const fs = require('fs');
const path = require('path');
for (const rel of ['dist/host/cli.js', 'dist/agent-app/daemon/cli.js']) {
  const file = path.join(__dirname, '..', rel);
  if (fs.existsSync(file)) fs.chmodSync(file, 0o755);
}
