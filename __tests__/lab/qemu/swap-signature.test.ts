/**
 * Telling a hibernated VM from a powered-off one by its swap disk: real mkswap, qemu-img and qemu-io on small
 * images. The hibernation signature is what a lab guest's kernel wrote (captured with qemu-io from the swap
 * overlay of a guest that ran guest-suspend-disk, 2026-11-26).
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { classifySignature, parseSignatureDump, swapState } from '../../../lab/qemu/swap-signature';

const CAPTURED_AFTER_HIBERNATE =
  '00000ff6:  53 31 53 55 53 50 45 4e 44 00  S1SUSPEND.\nread 10/10 bytes at offset 4086\n';
const CAPTURED_FRESH =
  '00000ff6:  53 57 41 50 53 50 41 43 45 32  SWAPSPACE2\nread 10/10 bytes at offset 4086\n';

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'swap-sig-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function qcow2Swap(name: string, signature?: string): string {
  const raw = path.join(dir, `${name}.raw`);
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` },
    });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  };
  run('truncate', ['-s', '1M', raw]);
  run('mkswap', ['-q', raw]);
  if (signature) {
    const fd = openSync(raw, 'r+');
    writeSync(fd, Buffer.from(signature.padEnd(10, '\0'), 'latin1'), 0, 10, 4086);
    closeSync(fd);
  }
  const image = path.join(dir, `${name}.qcow2`);
  run('qemu-img', ['convert', '-q', '-f', 'raw', '-O', 'qcow2', raw, image]);
  return image;
}

test('parses the signature out of qemu-io hex dumps', () => {
  expect(parseSignatureDump(CAPTURED_AFTER_HIBERNATE)).toBe('S1SUSPEND');
  expect(parseSignatureDump(CAPTURED_FRESH)).toBe('SWAPSPACE2');
  expect(parseSignatureDump('qemu-io: can\'t open device x: Failed to get shared "write" lock')).toBeNull();
  expect(classifySignature('S1SUSPEND')).toBe('hibernation-image');
  expect(classifySignature('SWAPSPACE2')).toBe('swap');
  expect(classifySignature('garbage')).toBe('unknown');
  expect(classifySignature(null)).toBe('unknown');
});

test('reads a swap overlay: plain swap, a hibernation image, and a file that is no image', () => {
  expect(swapState(qcow2Swap('plain'))).toBe('swap');
  expect(swapState(qcow2Swap('hibernated', 'S1SUSPEND'))).toBe('hibernation-image');
  expect(swapState(path.join(dir, 'missing.qcow2'))).toBe('unknown');
});
