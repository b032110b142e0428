// Put in place of the tray's bundled CLI by the Windows suite: records the arguments the agent would get,
// and whether the wrapper started it in Node mode, to the Windows path in $ARGV_RECORD.
const fs = require('fs');

fs.writeFileSync(
  process.env.ARGV_RECORD,
  JSON.stringify({ argv: process.argv.slice(2), nodeMode: process.env.ELECTRON_RUN_AS_NODE === '1' }),
);
