/**
 * The legacy single-VM shim of release 1.x, as a list of migrations. It applies only when VM_IDS is
 * empty and VMID is set; adding CONTAINER_IDS keeps the VMID VM; explicit VM_<id>_* keys always win.
 */
import { LEGACY_GAMING_PROCESSES, LEGACY_VM_NAME } from './keys';

export interface LegacyInput {
  vmIds: string[];
  /** Raw VMID tokens (already split), empty when VMID is unset or empty. */
  vmid: string[];
  vmName: string | undefined;
  /** undefined when GAMING_PROCESSES is unset; [] when it is set to "". */
  gamingProcesses: string[] | undefined;
}

export interface LegacyMigration {
  /** The per-guest suffix it fills (NAME, GAMING_PROCESSES, …). */
  suffix: string;
  value: string;
  /** The legacy key the value comes from, for the source report. */
  from: string;
  note: string;
}

export interface LegacyPlan {
  vmIds: string[];
  /** Values for VM_<id>_<suffix>, applied only where that key is not set explicitly. */
  migrations: LegacyMigration[];
  notes: string[];
}

export function planLegacyShim(input: LegacyInput): LegacyPlan | null {
  if (input.vmIds.length > 0 || input.vmid.length === 0) return null;
  const name = input.vmName && input.vmName !== '' ? input.vmName : LEGACY_VM_NAME;
  const gaming = input.gamingProcesses ?? LEGACY_GAMING_PROCESSES;
  const migrations: LegacyMigration[] = [
    { suffix: 'NAME', value: name, from: input.vmName ? 'VM_NAME' : 'VMID', note: `name "${name}"` },
    { suffix: 'MONITOR', value: '1', from: 'VMID', note: 'monitored' },
    { suffix: 'SLEEP_ACTION', value: 'hibernate', from: 'VMID', note: 'hibernated before sleep' },
    { suffix: 'RESUME_ON_WAKE', value: '1', from: 'VMID', note: 'resumed after wake' },
    { suffix: 'CHECK_POWER_REQUESTS', value: '1', from: 'VMID', note: 'power requests checked' },
    { suffix: 'CHECK_USER_IDLE', value: '1', from: 'VMID', note: 'user input checked' },
    {
      suffix: 'GAMING_PROCESSES',
      value: gaming.join(','),
      from: input.gamingProcesses === undefined ? 'VMID' : 'GAMING_PROCESSES',
      note: gaming.length ? `processes ${gaming.join(', ')}` : 'no process detection',
    },
  ];
  return {
    vmIds: input.vmid,
    migrations,
    notes: [
      `legacy single-VM configuration: VMID=${input.vmid.join(' ')} is managed as VM_IDS="${input.vmid.join(' ')}" ` +
        `(${migrations.map((m) => m.note).join(', ')}). To move on, set VM_IDS and VM_<id>_* keys and remove VMID.`,
    ],
  };
}
