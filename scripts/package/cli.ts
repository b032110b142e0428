/**
 * `npm run package:host` / `npm run package:agent` / `npm run package:agent-macos` (through
 * scripts/package/run.js):
 *   host|agent|agent-macos|all [--out DIR] [--stage-only]
 * Builds dist-packages/<name>_<version>_all.deb (agent-macos: proxmox-sleep-agent-<version>-macos.tar.gz);
 * --stage-only leaves the staged tree in <out>/stage/ without building the .deb or the archive (install.sh
 * installs from there).
 */
import * as path from 'path';
import { buildDeb } from './deb';
import { PACKAGES } from './layout';
import { buildMacosArchive, stageMacosAgent } from './macos';
import { stagePackage } from './stage';

const USAGE = 'usage: package host|agent|agent-macos|all [--out DIR] [--stage-only]';

export async function main(argv: string[], root: string): Promise<number> {
  const args = [...argv];
  let out = path.join(root, 'dist-packages');
  let stageOnly = false;
  const names: ('host' | 'agent')[] = [];
  let macos = false;
  while (args.length) {
    const arg = args.shift() as string;
    if (arg === '--out' && args.length) out = path.resolve(args.shift() as string);
    else if (arg === '--stage-only') stageOnly = true;
    else if (arg === 'host' || arg === 'agent') names.push(arg);
    else if (arg === 'agent-macos') macos = true;
    else if (arg === 'all') {
      names.push('host', 'agent');
      macos = true;
    } else {
      process.stderr.write(`${USAGE}\nunknown argument: ${arg}\n`);
      return 64;
    }
  }
  if (names.length === 0 && !macos) {
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
  if (macos) {
    if (stageOnly) {
      const dir = await stageMacosAgent(root, path.join(out, 'stage'));
      process.stdout.write(`staged the macOS agent in ${dir}\n`);
    } else {
      const built = await buildMacosArchive(root, out);
      const where = path.relative(process.cwd(), built.archive) || built.archive;
      process.stdout.write(`built ${where} (${(built.bytes / 1024).toFixed(0)} KiB)\n`);
    }
  }
  return 0;
}
