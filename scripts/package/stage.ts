/**
 * Stages one package: its file tree as it will be on the target, plus DEBIAN/ (control, conffiles,
 * md5sums, maintainer scripts). `dpkg-deb --build` turns the staged directory into the .deb; install.sh
 * copies the same tree onto a machine.
 */
import { createHash } from 'crypto';
import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { bundle } from './bundle';
import { describePackage, renderCopyright } from './copyright';
import { packageVersion, type PackageSpec } from './layout';

const MAINTAINER = 'Proxmox Sleep Manager contributors <maintainers@proxmox-sleep.invalid>';
const MAINTAINER_SCRIPTS = ['postinst', 'prerm', 'postrm'];

export interface Staged {
  dir: string;
  version: string;
  /** Seconds since the epoch of the changelog's latest entry: every file's mtime, for reproducible builds. */
  epoch: number;
  files: { dest: string; bytes: number; conffile: boolean }[];
}

/** The date of the changelog's latest entry (its first trailer line). */
function changelogEpoch(changelog: string): number {
  const trailer = /^ -- .+?> {2}(.+)$/m.exec(changelog);
  const ms = trailer ? Date.parse(trailer[1]) : NaN;
  if (Number.isNaN(ms))
    throw new Error('installer/deb/changelog: no dated trailer line (" -- name <mail>  date")');
  return Math.floor(ms / 1000);
}

/** The version of the changelog's latest entry. */
export function changelogVersion(changelog: string): string {
  const head = /^\S+ \(([^)]+)\)/.exec(changelog);
  if (!head) throw new Error('installer/deb/changelog: the first line is not "package (version) …"');
  return head[1];
}

function gzip(data: Buffer): Buffer {
  // gzip -9n: no name and no timestamp in the header, so the output depends on the content only.
  return gzipSync(data, { level: 9 });
}

/** Installed-Size as dpkg-gencontrol counts it: KiB per file rounded up, 1 per directory. */
function installedSize(files: number[], directories: number): number {
  return files.reduce((sum, bytes) => sum + Math.ceil(bytes / 1024), 0) + directories;
}

function renderControl(spec: PackageSpec, version: string, sizeKiB: number): string {
  const c = spec.control;
  return (
    [
      `Package: ${spec.name}`,
      `Source: proxmox-sleep`,
      `Version: ${version}`,
      `Architecture: all`,
      `Maintainer: ${MAINTAINER}`,
      `Installed-Size: ${sizeKiB}`,
      `Depends: ${c.depends}`,
      ...(c.recommends ? [`Recommends: ${c.recommends}`] : []),
      ...(c.conflicts ? [`Conflicts: ${c.conflicts}`] : []),
      `Section: ${c.section}`,
      `Priority: optional`,
      `Description: ${c.summary}`,
      ...c.description.map((l) => ` ${l}`),
    ].join('\n') + '\n'
  );
}

export async function stagePackage(root: string, spec: PackageSpec, outDir: string): Promise<Staged> {
  const version = packageVersion(root);
  const changelog = readFileSync(path.join(root, 'installer', 'deb', 'changelog'), 'utf8');
  if (changelogVersion(changelog) !== version)
    throw new Error(
      `installer/deb/changelog: its latest entry is ${changelogVersion(changelog)}, package.json says ${version}; add an entry`,
    );
  const epoch = changelogEpoch(changelog);
  const program = await bundle(root, spec.bundle, version);
  const copyright = renderCopyright(
    path.basename(spec.program),
    program.packageDirs.map((d) => describePackage(root, d)),
  );

  const dir = path.join(outDir, spec.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const directories = new Set<string>();
  const staged: Staged['files'] = [];
  const md5sums: string[] = [];
  for (const entry of spec.files) {
    let data: Buffer;
    if ('file' in entry.from) data = readFileSync(path.join(root, entry.from.file));
    else if (entry.from.generated === 'program') data = Buffer.from(program.code);
    else if (entry.from.generated === 'copyright') data = Buffer.from(copyright);
    else data = Buffer.from(changelog);
    if (entry.gzip) data = gzip(data);
    const target = path.join(dir, entry.dest);
    for (let d = path.dirname(entry.dest); d !== '/'; d = path.dirname(d)) directories.add(d);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, data);
    chmodSync(target, entry.mode);
    staged.push({ dest: entry.dest, bytes: data.length, conffile: entry.conffile === true });
    if (!entry.conffile)
      md5sums.push(`${createHash('md5').update(data).digest('hex')}  ${entry.dest.slice(1)}`);
  }

  const debian = path.join(dir, 'DEBIAN');
  mkdirSync(debian, { mode: 0o755 });
  const size = installedSize(
    staged.map((f) => f.bytes),
    directories.size,
  );
  writeFileSync(path.join(debian, 'control'), renderControl(spec, version, size));
  const conffiles = staged.filter((f) => f.conffile).map((f) => f.dest);
  if (conffiles.length) writeFileSync(path.join(debian, 'conffiles'), conffiles.join('\n') + '\n');
  writeFileSync(
    path.join(debian, 'md5sums'),
    md5sums.sort((a, b) => a.slice(34).localeCompare(b.slice(34))).join('\n') + '\n',
  );
  for (const script of MAINTAINER_SCRIPTS) {
    const target = path.join(debian, script);
    writeFileSync(target, readFileSync(path.join(root, spec.scriptsDir, script)));
    chmodSync(target, 0o755);
  }
  // Directories 0755 (whatever the umask), every mtime the changelog's date.
  for (const d of [...directories].map((d) => path.join(dir, d)).concat(dir, debian)) chmodSync(d, 0o755);
  touchTree(dir, epoch);
  return { dir, version, epoch, files: staged };
}

function touchTree(dir: string, epoch: number): void {
  const walk = (p: string) => {
    if (statSync(p).isDirectory()) for (const name of readdirSync(p)) walk(path.join(p, name));
    utimesSync(p, epoch, epoch);
  };
  walk(dir);
}
