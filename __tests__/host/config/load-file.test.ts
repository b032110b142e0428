import { chmodSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { configFileFor, loadConfig } from '../../../host/config';

const dir = mkdtempSync(path.join(tmpdir(), 'psm-config-'));
const file = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

describe('loadConfig reads the file', () => {
  it('picks --config, then CONFIG_FILE, then /etc/proxmox-sleep.conf', () => {
    expect(configFileFor('/a.conf', { CONFIG_FILE: '/b.conf' })).toEqual({ file: '/a.conf', explicit: true });
    expect(configFileFor(undefined, { CONFIG_FILE: '/b.conf' })).toEqual({ file: '/b.conf', explicit: true });
    expect(configFileFor(undefined, {})).toEqual({ file: '/etc/proxmox-sleep.conf', explicit: false });
  });

  it('reads a file given by CONFIG_FILE', () => {
    const p = file('env.conf', 'VM_IDS=100\n');
    const l = loadConfig({ env: { CONFIG_FILE: p } });
    expect(l.config.file).toBe(p);
    expect(l.config.guests).toHaveLength(1);
  });

  it('reports a missing explicit file as an error', () => {
    const l = loadConfig({ configFile: path.join(dir, 'missing.conf'), env: {} });
    expect(l.problems[0]).toMatchObject({ severity: 'error', message: 'does not exist' });
    expect(l.config.file).toBeNull();
  });

  it('reports a file that is not UTF-8', () => {
    const p = file('latin1.conf', Buffer.from([0x56, 0x4d, 0x5f, 0x49, 0x44, 0x53, 0x3d, 0xff, 0x0a]));
    expect(loadConfig({ configFile: p, env: {} }).problems[0]).toMatchObject({
      severity: 'error',
      file: p,
      message: 'is not UTF-8 text',
    });
  });

  it('reports a directory', () => {
    expect(loadConfig({ configFile: dir, env: {} }).problems[0]).toMatchObject({
      severity: 'error',
      message: 'is not a regular file',
    });
  });

  it('warns when everybody may write the file root reads', () => {
    const p = file('open.conf', 'VM_IDS=100\n');
    chmodSync(p, 0o666);
    expect(loadConfig({ configFile: p, env: {} }).problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(/writable by every user/),
      }),
    ]);
  });

  it('still resolves the environment when the file cannot be read', () => {
    const l = loadConfig({ configFile: path.join(dir, 'missing.conf'), env: { VM_IDS: '100' } });
    expect(l.config.guests.map((g) => g.id)).toEqual([100]);
  });
});
