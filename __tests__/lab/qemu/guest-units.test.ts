/**
 * The systemd units baked into the lab image, checked by the real `systemd-analyze verify` (systemd 252, the
 * same version as in the guest) so a misspelt key is caught here rather than ignored silently at boot.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { createRunner } from '../../../common/shell';
import { RECIPE_DIR } from '../../../lab/qemu/image/recipe';

const run = createRunner({ timeoutMs: 30_000 });
const UNITS = path.join(RECIPE_DIR, 'guest-files', 'etc', 'systemd', 'system');

async function verify(unitFile: string): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'units-'));
  try {
    const copy = path.join(dir, path.basename(unitFile));
    cpSync(unitFile, copy);
    const r = await run('systemd-analyze', ['verify', '--man=no', copy]);
    // The start script lives on the data disk, which does not exist outside a guest.
    return `${r.stdout}${r.stderr}`
      .split('\n')
      .filter((l) => l.trim() !== '' && !/Command \/lab\/start is not executable/.test(l));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the lab image units', () => {
  it('lab-start.service has no unknown or invalid settings', async () => {
    expect(await verify(path.join(UNITS, 'lab-start.service'))).toEqual([]);
  });

  it('the check would catch a misspelt condition', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'units-bad-'));
    try {
      const bad = path.join(dir, 'bad.service');
      writeFileSync(
        bad,
        readFileSync(path.join(UNITS, 'lab-start.service'), 'utf8').replace(
          'ConditionFileIsExecutable',
          'ConditionPathIsExecutable',
        ),
      );
      expect((await verify(bad)).join('\n')).toMatch(/Unknown key 'ConditionPathIsExecutable'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
