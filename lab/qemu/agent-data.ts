/**
 * A lab data folder (lab/README.md, "The lab data disk") that installs our guest agent in a QEMU guest and
 * runs it: the agent CLI as one esbuild bundle for the image's Node 18 (its npm dependencies inside, so the
 * guest needs nothing but `node`), its agent.json, and a `start` script that installs both where
 * docs/agent.md puts them and runs `proxmox-sleep-agent run`, which writes
 * /run/proxmox-sleep-agent/status.json inside the guest.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import { bundle } from '../../scripts/package/bundle';
import { START_SCRIPT } from './data-disk';
import { repoRoot } from './repo-root';

/** Where the agent is inside the guest (docs/agent.md). */
export const GUEST_AGENT = {
  bin: '/usr/local/bin/proxmox-sleep-agent',
  config: '/etc/proxmox-sleep/agent.json',
  statusFile: '/run/proxmox-sleep-agent/status.json',
  /** The bundle on the read-only data disk. */
  bundle: '/lab/agent/proxmox-sleep-agent.js',
} as const;

const START = `#!/bin/sh
# Lab data disk start script (lab/qemu/agent-data.ts): installs the guest agent as docs/agent.md describes
# and runs its daemon as the main process of lab-start.service.
set -e
install -d -m 0755 /etc/proxmox-sleep /run/proxmox-sleep-agent
install -m 0644 /lab/agent.json ${GUEST_AGENT.config}
ln -sf ${GUEST_AGENT.bundle} ${GUEST_AGENT.bin}
exec ${GUEST_AGENT.bin} run
`;

/** The agent CLI as the agent package ships it: one file for Node 18 (scripts/package/bundle.ts). */
export async function bundleAgent(outfile: string): Promise<void> {
  const { code } = await bundle(repoRoot(), 'agent', 'lab');
  writeFileSync(outfile, code, { mode: 0o755 });
  chmodSync(outfile, 0o755);
}

/** Fills `dir` with the agent bundle, `agentConfig` as agent.json and the start script. */
export async function prepareAgentData(dir: string, agentConfig: unknown): Promise<void> {
  mkdirSync(path.join(dir, 'agent'), { recursive: true });
  await bundleAgent(path.join(dir, 'agent', path.basename(GUEST_AGENT.bundle)));
  writeFileSync(path.join(dir, 'agent.json'), `${JSON.stringify(agentConfig, null, 2)}\n`);
  writeFileSync(path.join(dir, START_SCRIPT), START, { mode: 0o755 });
  chmodSync(path.join(dir, START_SCRIPT), 0o755);
}
