/** Turns a staged package into `<name>_<version>_all.deb` with Debian's own dpkg-deb (nothing downloaded). */
import { execFileSync } from 'child_process';
import { statSync } from 'fs';
import * as path from 'path';
import type { PackageSpec } from './layout';
import { stagePackage, type Staged } from './stage';

export interface BuiltPackage {
  deb: string;
  bytes: number;
  staged: Staged;
}

export async function buildDeb(root: string, spec: PackageSpec, outDir: string): Promise<BuiltPackage> {
  const staged = await stagePackage(root, spec, path.join(outDir, 'stage'));
  const deb = path.join(outDir, `${spec.name}_${staged.version}_all.deb`);
  // --root-owner-group: every file root:root whoever builds; SOURCE_DATE_EPOCH clamps the archive's times,
  // so the same sources give the same bytes.
  execFileSync('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', staged.dir, deb], {
    env: { ...process.env, SOURCE_DATE_EPOCH: String(staged.epoch) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { deb, bytes: statSync(deb).size, staged };
}
