/**
 * The headless agent for macOS as one archive, dist-packages/proxmox-sleep-agent-<version>-macos.tar.gz: the
 * agent program (the .deb's bundle), its copyright file, the wrapper and the LaunchDaemon install and
 * uninstall scripts from installer/macos-daemon. On the Mac: unpack, then `sudo ./install.sh USER`
 * (docs/install.md, macOS).
 */
import { execFile } from 'child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { bundle } from './bundle';
import { describePackage, renderCopyright } from './copyright';
import { packageVersion } from './layout';

/** install.sh puts the program and the copyright file here. */
export const MACOS_LIB = '/usr/local/lib/proxmox-sleep-agent';
const SCRIPTS = ['install.sh', 'uninstall.sh', 'proxmox-sleep-agent'];

export interface MacosArchive {
  /** The unpacked tree (what the archive holds, under its one top folder). */
  dir: string;
  archive: string;
  bytes: number;
}

export async function stageMacosAgent(root: string, outDir: string): Promise<string> {
  const version = packageVersion(root);
  const program = await bundle(root, 'agent', version, `${MACOS_LIB}/copyright`);
  const dir = path.join(outDir, `proxmox-sleep-agent-${version}-macos`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  writeFileSync(path.join(dir, 'proxmox-sleep-agent.js'), program.code, { mode: 0o644 });
  const packages = program.packageDirs.map((d) => describePackage(root, d));
  writeFileSync(path.join(dir, 'copyright'), renderCopyright('proxmox-sleep-agent', packages), {
    mode: 0o644,
  });
  for (const script of SCRIPTS) {
    copyFileSync(path.join(root, 'installer', 'macos-daemon', script), path.join(dir, script));
    chmodSync(path.join(dir, script), 0o755);
  }
  return dir;
}

export async function buildMacosArchive(root: string, outDir: string): Promise<MacosArchive> {
  const dir = await stageMacosAgent(root, path.join(outDir, 'stage'));
  const archive = path.join(outDir, `${path.basename(dir)}.tar.gz`);
  await promisify(execFile)('tar', [
    '--create',
    '--gzip',
    '--file',
    archive,
    '--sort=name',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '--directory',
    path.dirname(dir),
    path.basename(dir),
  ]);
  return { dir, archive, bytes: statSync(archive).size };
}
