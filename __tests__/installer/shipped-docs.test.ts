/** The host package ships what docs/install.md says it ships: these documents and every one they link to. */
import { readFileSync } from 'fs';
import * as path from 'path';
import { HOST } from '../../scripts/package/layout';

const ROOT = path.join(__dirname, '..', '..');

test('every document install.md links to is in /usr/share/doc/proxmox-sleep', () => {
  const install = readFileSync(path.join(ROOT, 'docs', 'install.md'), 'utf8');
  const linked = new Set([...install.matchAll(/\]\(([a-z-]+\.md)(?:#[^)]*)?\)/g)].map((m) => m[1]));
  const shipped = HOST.files
    .filter((f) => f.dest.startsWith('/usr/share/doc/proxmox-sleep/') && f.dest.endsWith('.md'))
    .map((f) => path.basename(f.dest));
  expect(linked.size).toBeGreaterThan(5);
  expect([...linked, 'install.md'].filter((doc) => !shipped.includes(doc))).toEqual([]);
});
