/**
 * The two programs the packages install, each bundled into one JavaScript file with esbuild (target Node 18,
 * what Proxmox VE 8's Debian ships): no node_modules on the target, one file to run.
 */
import { build } from 'esbuild';
import * as path from 'path';

export type BundleName = 'host' | 'agent';

const ENTRY: Record<BundleName, string> = {
  host: 'host/cli.ts',
  agent: 'agent-app/daemon/cli.ts',
};

/**
 * Optional parts of dependencies the agent never uses: dbus-next's X11 address lookup and abstract-socket
 * module, systeminformation's macOS sensor module. They stay `require()` calls that would fail only if used.
 */
export const EXTERNAL = ['x11', 'usocket', 'osx-temperature-sensor'];

export interface Bundle {
  /** The program, starting with `#!/usr/bin/node`. */
  code: string;
  /** Directories (relative to the repository) of the npm packages bundled into it. */
  packageDirs: string[];
}

/**
 * The agent is minified: it runs resident in every guest, and V8 keeps the whole source in memory, so the
 * 3.2 MB readable bundle costs about 10 MB of RSS more than the 1.5 MB minified one (measured with the
 * unit's Node flags: 55.9 MB readable, 47.1 MB minified, 46.1 MB for the unbundled dist/; `keepNames` brought
 * it back to 58 MB). The host tool stays readable: stack traces in a Proxmox host's journal are worth more
 * than a few MB there.
 */
const MINIFY: Record<BundleName, boolean> = { host: false, agent: true };

/** `licences` is where the installed copyright file lives (default: the Debian package's). */
export async function bundle(
  root: string,
  name: BundleName,
  version: string,
  licences?: string,
): Promise<Bundle> {
  const result = await build({
    minify: MINIFY[name],
    absWorkingDir: root,
    entryPoints: [path.join(root, ENTRY[name])],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: EXTERNAL,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    write: false,
    outfile: path.join(root, 'dist-packages', `${name}.js`),
  });
  const text = result.outputFiles[0].text.replace(/^#!.*\n/, '');
  const program = name === 'host' ? 'proxmox-sleep' : 'proxmox-sleep-agent';
  const code =
    '#!/usr/bin/node\n' +
    `// ${program} ${version}: ${ENTRY[name]} and its dependencies in one file (esbuild). Licences: ` +
    `${licences ?? `/usr/share/doc/${program}/copyright`}\n` +
    text;
  return { code, packageDirs: bundledPackageDirs(Object.keys(result.metafile.inputs)) };
}

/** `node_modules/a/node_modules/@b/c/lib/x.js` → `node_modules/a/node_modules/@b/c`. */
export function bundledPackageDirs(inputs: string[]): string[] {
  const dirs = new Set<string>();
  for (const input of inputs) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) dirs.add(match[1]);
  }
  return [...dirs].sort();
}
