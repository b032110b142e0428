import { mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { FileTooLargeError, readFileCapped, writeFileAtomic } from '../../common/atomic-file';

const dir = mkdtempSync(path.join(tmpdir(), 'psm-atomic-'));

describe('atomic files', () => {
  it('writes the whole content with the requested mode', async () => {
    const target = path.join(dir, 'state');
    await writeFileAtomic(target, 'one', 0o600);
    await writeFileAtomic(target, 'two', 0o640);
    expect(readFileSync(target, 'utf8')).toBe('two');
    expect(statSync(target).mode & 0o777).toBe(0o640);
  });

  it('a concurrent reader sees either the old or the new content, never a part', async () => {
    const target = path.join(dir, 'status.json');
    const a = JSON.stringify({ v: 'a'.repeat(50000) });
    const b = JSON.stringify({ v: 'b'.repeat(50000) });
    await writeFileAtomic(target, a);
    let reads = 0;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        const text = readFileSync(target, 'utf8');
        expect(text === a || text === b).toBe(true);
        reads++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    for (let i = 0; i < 40; i++) await writeFileAtomic(target, i % 2 ? a : b);
    writing = false;
    await reader;
    expect(reads).toBeGreaterThan(0);
  });

  it('reads at most the limit and refuses a longer file', async () => {
    const file = path.join(dir, 'big');
    writeFileSync(file, Buffer.alloc(100));
    expect((await readFileCapped(file, 100)).length).toBe(100);
    await expect(readFileCapped(file, 99)).rejects.toBeInstanceOf(FileTooLargeError);
  });

  it('never follows a symlink when reading', async () => {
    const link = path.join(dir, 'link');
    symlinkSync('/etc/hostname', link);
    await expect(readFileCapped(link, 1000)).rejects.toMatchObject({ code: 'ELOOP' });
  });

  it('refuses to read a directory or a FIFO-like non-file', async () => {
    await expect(readFileCapped(dir, 1000)).rejects.toThrow(/not a regular file/);
  });
});

describe('ensureRealDirectory', () => {
  it('creates a missing directory and refuses a planted link or a file', async () => {
    const { ensureRealDirectory, UnsafeDirectoryError } = await import('../../common/atomic-file');
    const { mkdirSync } = await import('fs');
    const made = path.join(dir, 'made', 'deeper');
    expect((await ensureRealDirectory(made)).isDirectory()).toBe(true);
    const target = path.join(dir, 'elsewhere');
    mkdirSync(target);
    const link = path.join(dir, 'planted');
    symlinkSync(target, link);
    await expect(ensureRealDirectory(link)).rejects.toBeInstanceOf(UnsafeDirectoryError);
    const file = path.join(dir, 'a-file');
    writeFileSync(file, 'x');
    await expect(ensureRealDirectory(file)).rejects.toThrow();
  });
});
