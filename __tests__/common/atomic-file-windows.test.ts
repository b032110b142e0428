/** writeFileAtomic on Windows: no directory fsync (it fails there with EPERM, nodejs/node#3879). */
import { promises as fs, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { writeFileAtomic } from '../../common/atomic-file';

const realPlatform = process.platform;
let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'atomic-win-'))));
afterEach(() => {
  Object.defineProperty(process, 'platform', { value: realPlatform });
  jest.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

it.each([
  ['linux', [true, false]],
  ['win32', [true]],
] as const)('on %s opens %p (the temp file, then the folder only off Windows)', async (platform, opened) => {
  Object.defineProperty(process, 'platform', { value: platform });
  const open = jest.spyOn(fs, 'open');
  const file = path.join(dir, 'status.json');
  await writeFileAtomic(file, '{"ok":true}\n');
  expect(readFileSync(file, 'utf8')).toBe('{"ok":true}\n');
  expect(open.mock.calls.map(([p]) => String(p).endsWith('.tmp'))).toEqual(opened);
});

describe('replacing a file someone has open', () => {
  const busy = () => Object.assign(new Error('EPERM: operation not permitted, rename'), { code: 'EPERM' });

  it('on Windows tries the rename again until the reader lets go', async () => {
    Object.defineProperty(process, 'platform', { value: 'win32' });
    const rename = fs.rename;
    const spy = jest
      .spyOn(fs, 'rename')
      .mockRejectedValueOnce(busy())
      .mockRejectedValueOnce(busy())
      .mockImplementation((from, to) => rename(from, to));
    const file = path.join(dir, 'status.json');
    await writeFileAtomic(file, '{"ok":true}\n');
    expect(readFileSync(file, 'utf8')).toBe('{"ok":true}\n');
    expect(spy).toHaveBeenCalledTimes(3);
  });

  it('gives up after a few seconds and leaves no temp file', async () => {
    Object.defineProperty(process, 'platform', { value: 'win32' });
    jest.spyOn(fs, 'rename').mockRejectedValue(busy());
    await expect(writeFileAtomic(path.join(dir, 'status.json'), 'x')).rejects.toThrow('EPERM');
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('elsewhere fails at once (POSIX replaces an open file)', async () => {
    jest.spyOn(fs, 'rename').mockRejectedValue(busy());
    await expect(writeFileAtomic(path.join(dir, 'status.json'), 'x')).rejects.toThrow('EPERM');
    expect(fs.rename).toHaveBeenCalledTimes(1);
  });
});
