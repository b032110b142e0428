import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { detectNodeName } from '../../../host/proxmox/node-name';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'nodes-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('the short hostname when /etc/pve/nodes/<it> exists', async () => {
  mkdirSync(path.join(dir, 'alpha'));
  mkdirSync(path.join(dir, 'pve1'));
  expect(await detectNodeName({ pveNodesDir: dir, hostname: 'pve1.example.lan' })).toBe('pve1');
});

test('else the first node directory, else the short hostname', async () => {
  mkdirSync(path.join(dir, 'zeta'));
  mkdirSync(path.join(dir, 'alpha'));
  expect(await detectNodeName({ pveNodesDir: dir, hostname: 'renamed.example.lan' })).toBe('alpha');
  expect(await detectNodeName({ pveNodesDir: path.join(dir, 'none'), hostname: 'pve9.lan' })).toBe('pve9');
});
