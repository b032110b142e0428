// The tray's main process without Electron (its runtime cannot run here), for the Windows suite: the same
// composition (composeTray: power requests from the SYSTEM task's snapshot, GPU through PowerShell) and agent
// assembly as agent-app/electron/main/tray-agent.ts, one evaluation, the document on stdout.
const path = require('path');

const dist = path.join(__dirname, '..', '..', '..', 'dist');
const { composeTray } = require(path.join(dist, 'agent-app', 'electron', 'main', 'compose-tray.js'));
const { assembleAgent } = require(path.join(dist, 'agent-app', 'setup', 'agent-setup.js'));
const { loadAgentConfig } = require(path.join(dist, 'agent-app', 'core', 'config.js'));
const { createStatusWriter } = require(path.join(dist, 'agent-app', 'core', 'status-writer.js'));
const { systemClock } = require(path.join(dist, 'common', 'clock.js'));
const { createLogger, formatText } = require(path.join(dist, 'common', 'log.js'));

async function main() {
  const { config } = await loadAgentConfig({ os: 'windows' });
  const logger = createLogger('tray', { sink: (record) => process.stderr.write(`${formatText(record)}\n`) });
  const composition = composeTray(config, {
    clock: systemClock,
    logger,
    env: process.env,
    platform: process.platform,
    powerMonitor: { getSystemIdleTime: () => 3600 },
  });
  const writer = createStatusWriter(config.statusFile);
  const { agent } = await assembleAgent(config, composition, { clock: systemClock, logger }, writer);
  try {
    process.stdout.write(`${JSON.stringify(await agent.evaluate())}\n`);
  } finally {
    await agent.close();
    await composition.close();
  }
}

main().catch((e) => {
  process.stderr.write(`${e.stack}\n`);
  process.exitCode = 1;
});
