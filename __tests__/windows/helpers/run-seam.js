// For the Windows suite: one call of the shell seam (dist/common/shell.js) as the agent makes it on Windows.
// argv: <spec JSON>, where spec = {command, args, timeoutMs?, maxOutputBytes?, input?}; prints the result.
const path = require('path');

const dist = path.join(__dirname, '..', '..', '..', 'dist');
const { createRunner, commandMissing } = require(path.join(dist, 'common', 'shell.js'));

async function main() {
  const spec = JSON.parse(process.argv[2]);
  const run = createRunner({ timeoutMs: spec.timeoutMs ?? 10_000 });
  const result = await run(spec.command, spec.args, spec);
  const { stdoutBytes, ...rest } = result;
  process.stdout.write(
    `${JSON.stringify({ ...rest, stdoutLength: stdoutBytes.length, missing: commandMissing(result) })}\n`,
  );
}

main();
