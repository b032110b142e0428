/**
 * The hypervisor adapters: the stock qm/pct/pvesh on PATH, the REST API when PROXMOX_API_URL is set, and the
 * guest agent access GUEST_AGENT_ACCESS asks for (pvesh, api or the VM's socket).
 */
import type { Clock } from '../../common/clock';
import { ConfigError, errorMessage } from '../../common/errors';
import type { Runner } from '../../common/shell';
import type { GlobalConfig } from '../config';
import { createCliBackend } from '../proxmox/cli-backend';
import { createHttpsClient } from '../proxmox/https-client';
import { createSocketAgent } from '../proxmox/qga-socket';
import { createRestBackend, readApiToken } from '../proxmox/rest-backend';
import type { GuestAgent, Proxmox } from '../proxmox/types';

export interface ProxmoxOptions {
  run: Runner;
  node: string;
  clock?: Clock;
  /** A broken API setup falls back to qm/pct/pvesh with a warning instead of failing (`status`). */
  lenient?: boolean;
  /** Problems found, for the caller to log. */
  warnings: string[];
  /** What must be closed at the end (the API's keep-alive connections). */
  closers: (() => void)[];
}

export async function connectProxmox(
  g: GlobalConfig,
  options: ProxmoxOptions,
): Promise<{ proxmox: Proxmox; agent: GuestAgent }> {
  const cli = createCliBackend({
    run: options.run,
    node: options.node,
    callTimeoutMs: g.proxmoxTimeout * 1000,
  });
  let rest: Proxmox | null = null;
  if (g.proxmoxApiUrl) {
    try {
      rest = await restBackend(g, cli, options);
    } catch (e) {
      if (!options.lenient) throw e;
      options.warnings.push(`the Proxmox API cannot be used (${errorMessage(e)}); using qm/pct/pvesh`);
    }
  }
  return { proxmox: rest ?? cli, agent: agentAccess(g, cli, rest, options.warnings) };
}

async function restBackend(g: GlobalConfig, cli: Proxmox, options: ProxmoxOptions): Promise<Proxmox> {
  if (!g.proxmoxApiTokenFile)
    throw new ConfigError([
      {
        severity: 'error',
        file: null,
        line: null,
        key: 'PROXMOX_API_TOKEN_FILE',
        message: 'is required when PROXMOX_API_URL is set',
      },
    ]);
  const { token, warnings } = await readApiToken(g.proxmoxApiTokenFile);
  options.warnings.push(...warnings);
  const client = createHttpsClient({
    baseUrl: g.proxmoxApiUrl,
    token,
    fingerprint: g.proxmoxApiFingerprint || undefined,
  });
  options.closers.push(() => client.close());
  return createRestBackend({ client, node: options.node, containers: cli, clock: options.clock });
}

function agentAccess(g: GlobalConfig, cli: Proxmox, rest: Proxmox | null, warnings: string[]): GuestAgent {
  switch (g.guestAgentAccess) {
    case 'socket':
      return createSocketAgent({ socketDir: g.qgaSocketDir });
    case 'api':
      if (rest) return rest.agent;
      warnings.push('GUEST_AGENT_ACCESS=api needs PROXMOX_API_URL; using pvesh instead');
      return cli.agent;
    default:
      return cli.agent;
  }
}
