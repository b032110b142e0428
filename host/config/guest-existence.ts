/** Checks that each configured guest exists, with Proxmox's own `qm status` / `pct status`. */
import type { ConfigProblem } from '../../common/errors';
import { commandMissing, type Runner } from '../../common/shell';
import { cutStderr } from '../../common/errors';
import { GUEST_PREFIX, KIND_LABEL } from './keys';
import type { HostConfig } from './types';

export async function checkGuestsExist(
  config: HostConfig,
  run: Runner,
  timeoutMs = 15000,
): Promise<ConfigProblem[]> {
  const problems: ConfigProblem[] = [];
  const missingTools = new Set<string>();
  await Promise.all(
    config.guests.map(async (guest) => {
      const tool = guest.kind === 'vm' ? 'qm' : 'pct';
      if (missingTools.has(tool)) return;
      const result = await run(tool, ['status', String(guest.id)], { timeoutMs });
      if (commandMissing(result)) {
        missingTools.add(tool);
        return;
      }
      if (result.exitCode !== 0) {
        const why = result.timedOut
          ? `${tool} status timed out`
          : cutStderr(result.stderr, 3) || `${tool} status exited ${result.exitCode}`;
        problems.push({
          severity: 'error',
          file: config.file,
          line: null,
          key: guest.kind === 'vm' ? 'VM_IDS' : 'CONTAINER_IDS',
          message: `${KIND_LABEL[guest.kind]} ${guest.id} does not exist on this host (${why.replace(/\n/g, ' ')})`,
        });
      }
    }),
  );
  for (const tool of missingTools) {
    const kind = tool === 'qm' ? 'vm' : 'ct';
    problems.push({
      severity: 'warning',
      file: null,
      line: null,
      key: null,
      message: `${tool} is not on PATH (not a Proxmox host?): cannot check that the configured ${GUEST_PREFIX[kind] === 'VM' ? 'VMs' : 'containers'} exist`,
    });
  }
  return problems;
}
