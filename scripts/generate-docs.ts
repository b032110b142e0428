/**
 * Regenerates the documents derived from code (`npm run gen:docs`): the protocol's JSON Schema, the config
 * reference, the example config, the host package's default config and the manual pages. Tests fail when a checked-in copy differs from what this would write.
 */
import { writeFileSync } from 'fs';
import * as path from 'path';
import type { AgentIo } from '../agent-app/setup/io';
import { buildAgentProgram } from '../agent-app/cli/program';
import { systemClock } from '../common/clock';
import { renderConfigReference, renderDefaultConfig, renderExampleConfig } from '../host/config/render';
import { renderCommandManPage, renderConfigManPage } from '../host/config/render-man';
import { buildProgram } from '../host/cli/program';
import { version } from '../package.json';
import { protocolJsonSchemaText } from '../protocol';
import { renderAgentManPage } from './package/agent-man';

export const GENERATED: { file: string; render: () => string }[] = [
  { file: 'docs/protocol.schema.json', render: protocolJsonSchemaText },
  { file: 'docs/config.md', render: renderConfigReference },
  { file: 'installer/proxmox-sleep.conf.example', render: renderExampleConfig },
  { file: 'installer/host/proxmox-sleep.conf', render: renderDefaultConfig },
  {
    file: 'installer/host/man/proxmox-sleep.8',
    render: () => renderCommandManPage(silentProgram(), version),
  },
  { file: 'installer/host/man/proxmox-sleep.conf.5', render: () => renderConfigManPage(version) },
  {
    file: 'installer/agent/man/proxmox-sleep-agent.8',
    render: () => renderAgentManPage(silentAgentProgram(), version),
  },
];

function silentProgram() {
  return buildProgram(
    { env: {}, stdout: () => undefined, stderr: () => undefined, isTTY: false },
    () => undefined,
  );
}

/** An agent command line that prints nothing (for its help text, and for the docs test's parsing). */
export const SILENT_AGENT_IO: AgentIo = {
  env: {},
  platform: 'linux',
  clock: systemClock,
  stdout: async () => undefined,
  stderr: () => undefined,
  shutdown: new AbortController().signal,
};

function silentAgentProgram() {
  return buildAgentProgram(SILENT_AGENT_IO, () => undefined);
}

if (require.main === module) {
  const root = path.join(__dirname, '..', '..');
  for (const { file, render } of GENERATED) {
    writeFileSync(path.join(root, file), render());
    console.log(`wrote ${file}`);
  }
}
