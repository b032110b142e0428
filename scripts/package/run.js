// Entry of `npm run package:*` and install.sh: bundles the package builder (scripts/package/cli.ts) with
// esbuild, so packaging needs neither a prior `npm run build` nor a TypeScript runtime, then runs it.
const path = require('path');
const { buildSync } = require('esbuild');

const root = path.join(__dirname, '..', '..');
const outfile = path.join(root, 'dist', 'scripts', 'package', 'cli-bundle.js');
buildSync({
  entryPoints: [path.join(__dirname, 'cli.ts')],
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  packages: 'external',
  outfile,
  logLevel: 'warning',
});
require(outfile)
  .main(process.argv.slice(2), root)
  .then((code) => (process.exitCode = code))
  .catch((e) => {
    console.error(`package: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  });
