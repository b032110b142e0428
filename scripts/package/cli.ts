/**
 * `npm run package:host` / `npm run package:agent` (through scripts/package/run.js):
 *   host|agent|all [--out DIR] [--stage-only]
 * Builds dist-packages/<name>_<version>_all.deb; --stage-only leaves the staged tree in
 * <out>/stage/<name>/ without building the .deb (install.sh installs from there).
 */
import * as path from 'path';
import { buildDeb } from './deb';
import { PACKAGES } from './layout';
import { stagePackage } from './stage';

const USAGE = 'usage: package host|agent|all [--out DIR] [--stage-only]';

export async function main(argv: string[], root: string): Promise<number> {
  const args = [...argv];
  let out = path.join(root, 'dist-packages');
  let stageOnly = false;
  const names: ('host' | 'agent')[] = [];
  while (args.length) {
    const arg = args.shift() as string;
    if (arg === '--out' && args.length) out = path.resolve(args.shift() as string);
    else if (arg === '--stage-only') stageOnly = true;
    else if (arg === 'host' || arg === 'agent') names.push(arg);
    else if (arg === 'all') names.push('host', 'agent');
    else {
      process.stderr.write(`${USAGE}\nunknown argument: ${arg}\n`);
      return 64;
    }
  }
  if (names.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 64;
  }
  for (const name of names) {
    const started = Date.now();
    const spec = PACKAGES[name];
    if (stageOnly) {
      const staged = await stagePackage(root, spec, path.join(out, 'stage'));
      process.stdout.write(`staged ${spec.name} ${staged.version} in ${staged.dir}\n`);
    } else {
      const built = await buildDeb(root, spec, out);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(
        `built ${path.relative(process.cwd(), built.deb) || built.deb} (${(built.bytes / 1024).toFixed(0)} KiB, ${seconds} s)\n`,
      );
    }
  }
  return 0;
}
