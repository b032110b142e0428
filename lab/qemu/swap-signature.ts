/**
 * Whether a stopped VM's swap disk holds a hibernation image: Linux replaces the swap signature at the end of
 * the first page (`SWAPSPACE2`) with `S1SUSPEND` while the image is written, and puts it back when a resume
 * has read it. So a guest that powered off with `S1SUSPEND` there hibernated, and its next boot is a resume.
 *
 * Synchronous on purpose: the lab's Proxmox emulation decides a guest's state under a synchronous lock. It
 * reads the qcow2 overlay with `qemu-io` (qemu-utils), which QEMU's image lock refuses while the VM runs.
 */
import { spawnSync } from 'child_process';

const SIGNATURE_OFFSET = 4096 - 10;
const HIBERNATION_SIGNATURES = ['S1SUSPEND', 'ULSUSPEND', 'LINHIB0001'];
const SWAP_SIGNATURES = ['SWAPSPACE2', 'SWAP-SPACE'];

export type SwapState = 'hibernation-image' | 'swap' | 'unknown';

/** The 10 signature bytes from `qemu-io -c 'read -v …'` output (hex dump lines). */
export function parseSignatureDump(output: string): string | null {
  const m = /^[0-9a-f]+:((?:\s+[0-9a-f]{2}){10})/im.exec(output);
  if (!m) return null;
  const bytes = m[1]
    .trim()
    .split(/\s+/)
    .map((h) => parseInt(h, 16));
  return Buffer.from(bytes).toString('latin1').replace(/\0+$/, '');
}

export function classifySignature(signature: string | null): SwapState {
  if (signature === null) return 'unknown';
  if (HIBERNATION_SIGNATURES.includes(signature)) return 'hibernation-image';
  if (SWAP_SIGNATURES.includes(signature)) return 'swap';
  return 'unknown';
}

/** Reads the signature of a qcow2 swap overlay; 'unknown' when it cannot be read (e.g. the VM runs). */
export function swapState(swapImage: string): SwapState {
  const r = spawnSync('qemu-io', ['-r', '-f', 'qcow2', '-c', `read -v ${SIGNATURE_OFFSET} 10`, swapImage], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (r.status !== 0) return 'unknown';
  return classifySignature(parseSignatureDump(r.stdout));
}
