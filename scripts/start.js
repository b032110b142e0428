// `npm start`: builds dist/ if needed, then runs the lab demo (lab/demo, docs/lab.md): four light guests with
// real agents, the real host tool with short timings, one full sleep cycle on screen. Options after `--`:
// `npm start -- --help`.
const { buildIfStale } = require('./build-if-stale');

buildIfStale({
  announce: () => process.stderr.write('Building (dist/ is missing or older than the sources)…\n'),
});
require('../dist/lab/demo/cli.js')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
