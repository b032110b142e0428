/**
 * `systemctl` inside a lab guest (first on the PATH of its qemu-ga and agent): `hibernate` and `poweroff`
 * become power transitions of that guest in the lab state; `status systemd-hibernate` answers "inactive"
 * (exit 3), which is how qemu-ga's guest-suspend-disk decides that systemd can hibernate.
 */
import { readFileSync } from 'fs';
import { requestHibernate, requestShutdown } from '../power';
import { labDir } from '../state';

function caller(): string {
  try {
    const line = readFileSync(`/proc/${process.ppid}/cmdline`, 'utf8');
    if (line.includes('qemu-ga')) return 'qemu-ga';
    if (line.includes('agent-app')) return 'proxmox-sleep-agent';
  } catch {
    // parent gone
  }
  return 'guest';
}

export async function main(argv: string[]): Promise<void> {
  const dir = labDir();
  const id = Number(process.env.LAB_GUEST_ID);
  const [verb, unit] = argv.filter((a) => !a.startsWith('-'));
  if (verb === 'status') {
    if (/^systemd-(hibernate|suspend|hybrid-sleep)(\.service)?$/.test(unit ?? '')) {
      process.stdout.write(`○ ${unit} - System ${unit}\n     Active: inactive (dead)\n`);
      process.exit(3);
    }
    process.stderr.write(`Unit ${unit} could not be found.\n`);
    process.exit(4);
  }
  if (verb === 'hibernate') {
    requestHibernate(dir, id, caller());
    return;
  }
  if (verb === 'poweroff') {
    requestShutdown(dir, id, caller());
    return;
  }
  process.stderr.write(`lab guest systemctl: ${verb} is not emulated\n`);
  process.exit(1);
}

if (require.main === module) void main(process.argv.slice(2));
