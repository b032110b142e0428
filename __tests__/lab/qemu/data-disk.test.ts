/** The lab data disk, made by the real mkfs.ext4 and read back with debugfs (e2fsprogs), without a VM. */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { createRunner } from '../../../common/shell';
import { checkDataDir, makeDataDisk } from '../../../lab/qemu/data-disk';

const run = createRunner({
  timeoutMs: 30_000,
  env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` },
});
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lab-data-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const debugfs = async (image: string, request: string) =>
  (await run('debugfs', ['-R', request, image])).stdout;

describe('the lab data disk', () => {
  it('is an ext4 file system labelled labdata holding the folder, with the start script still executable', async () => {
    const src = path.join(dir, 'src');
    mkdirSync(path.join(src, 'node_modules', 'dep'), { recursive: true });
    writeFileSync(path.join(src, 'start'), '#!/bin/sh\nexec node /lab/app.js\n');
    chmodSync(path.join(src, 'start'), 0o755);
    writeFileSync(path.join(src, 'node_modules', 'dep', 'index.js'), 'module.exports = 1;\n');
    const image = path.join(dir, 'data.img');
    await makeDataDisk(run, image, src);
    expect((await run('blkid', ['-o', 'value', '-s', 'LABEL', image])).stdout.trim()).toBe('labdata');
    expect(await debugfs(image, 'cat /start')).toBe('#!/bin/sh\nexec node /lab/app.js\n');
    expect(await debugfs(image, 'cat /node_modules/dep/index.js')).toBe('module.exports = 1;\n');
    expect(await debugfs(image, 'stat /start')).toMatch(/Mode:\s+0755/);
  });

  it('grows with the folder it holds', async () => {
    const src = path.join(dir, 'big');
    mkdirSync(src);
    for (let i = 0; i < 20; i++) writeFileSync(path.join(src, `f${i}`), Buffer.alloc(1024 * 1024, i));
    const image = path.join(dir, 'data.img');
    await makeDataDisk(run, image, src);
    expect((await debugfs(image, 'ls -l /')).match(/ f\d+/g)).toHaveLength(20);
  });

  it('is an empty file system when no folder is given', async () => {
    const image = path.join(dir, 'empty.img');
    await makeDataDisk(run, image);
    expect(await debugfs(image, 'ls /')).not.toMatch(/start/);
  });

  it('refuses a start script that is not executable, not a regular file, or a folder that is missing', async () => {
    writeFileSync(path.join(dir, 'start'), '#!/bin/sh\n');
    chmodSync(path.join(dir, 'start'), 0o644);
    await expect(checkDataDir(dir)).rejects.toThrow(`${path.join(dir, 'start')} is not executable`);
    rmSync(path.join(dir, 'start'));
    symlinkSync('/bin/true', path.join(dir, 'start'));
    await expect(checkDataDir(dir)).rejects.toThrow(/must be a regular file/);
    await expect(checkDataDir(path.join(dir, 'nope'))).rejects.toThrow(/is not a directory/);
    await expect(makeDataDisk(run, path.join(dir, 'x.img'), path.join(dir, 'nope'))).rejects.toThrow(
      /is not a directory/,
    );
  });
});
