import { execFileSync, spawnSync } from 'child_process';
import * as path from 'path';
import { NODE18 } from '../../helpers/node18';

const root = path.join(__dirname, '..', '..', '..');
const cli = path.join(root, 'dist', 'host', 'cli.js');

describe('the host tool on Node 18 (Proxmox VE 8)', () => {
  it('has a Node 18 to run on', () => {
    expect(execFileSync(NODE18, ['--version'], { encoding: 'utf8' })).toMatch(/^v18\./);
  });

  it('validates the example configuration', () => {
    const r = spawnSync(
      NODE18,
      [cli, 'validate', '--config', path.join(root, 'installer', 'proxmox-sleep.conf.example')],
      {
        encoding: 'utf8',
        env: { PATH: '/usr/bin:/bin' },
      },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('configuration is valid');
  });
});
