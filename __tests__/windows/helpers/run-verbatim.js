// Starts cmd.exe with a command line exactly as given (no quoting added), as the Task Scheduler does with
// the SYSTEM task's action, and prints the exit code.
const { spawnSync } = require('child_process');

const result = spawnSync('cmd.exe', process.argv.slice(2), {
  windowsVerbatimArguments: true,
  stdio: 'inherit',
});
process.stdout.write(`exit ${result.status}\n`);
