/** Manual pages generated from the command definitions and the key table, so they cannot drift. */
import type { Command } from 'commander';
import { ENV_ONLY, GUEST_KEYS, KIND_LABEL, type GuestKey, SECTIONS, globalKeysIn } from './keys';

/** Escapes text for roff: backslashes, leading dots/quotes, hyphens in options. */
export function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/^([.'])/gm, '\\&$1');
}

/** The program's own options, then every command with its arguments and options (roff), for a manual page. */
export function optionsAndCommands(program: Command): string[] {
  const out: string[] = [];
  for (const option of program.options) out.push('.TP', `.B ${roff(option.flags)}`, roff(option.description));
  out.push('.SH COMMANDS');
  for (const command of program.commands) {
    const args = command.registeredArguments
      .map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`))
      .join(' ');
    out.push('.TP', `.B ${roff(command.name())}${args ? ` ${roff(args)}` : ''}`, roff(command.description()));
    for (const option of command.options)
      out.push('.RS', '.TP', `.B ${roff(option.flags)}`, roff(option.description), '.RE');
  }
  return out;
}

function header(name: string, section: number, title: string, version: string): string[] {
  return [`.TH ${name.toUpperCase()} ${section} "" "proxmox-sleep ${version}" "${title}"`];
}

export function renderCommandManPage(program: Command, version: string): string {
  const out = [
    ...header('proxmox-sleep', 8, 'System Administration', version),
    '.SH NAME',
    `proxmox\\-sleep \\- ${roff(program.description().replace(/\.$/, ''))}`,
    '.SH SYNOPSIS',
    '.B proxmox\\-sleep',
    '.I command',
    '.RI [ options ]',
    '.SH DESCRIPTION',
    'Proxmox Sleep Manager lets a Proxmox VE host sleep when nobody uses any of its guests. An agent inside each guest',
    'reports whether that guest is idle and why; the host sleeps only when every monitored guest and the host itself',
    'are idle, hibernates or shuts down the guests first, and starts every guest it stopped again after wake.',
    '.SH GLOBAL OPTIONS',
  ];
  out.push(...optionsAndCommands(program));
  out.push(
    '.SH EXIT STATUS',
    '0 success; 1 failure (for',
    '.BR check :',
    'something is active); 64 usage error; 78 invalid configuration.',
    '.SH ENVIRONMENT',
  );
  for (const [name, doc] of Object.entries(ENV_ONLY)) out.push('.TP', `.B ${roff(name)}`, roff(doc));
  out.push('.TP', '.I KEY', 'Any configuration key set in the environment overrides the configuration file.');
  out.push(
    '.SH FILES',
    '.TP',
    '.I /etc/proxmox\\-sleep.conf',
    'The configuration; see',
    '.BR proxmox\\-sleep.conf (5).',
    '.TP',
    '.I /run/proxmox\\-sleep/',
    'State: idle timers, the wake stamp and the guests owed a resume.',
    '.SH SEE ALSO',
    '.BR proxmox\\-sleep.conf (5),',
    '.BR systemctl (1),',
    '.BR qm (1),',
    '.BR pct (1)',
    '',
  );
  return out.join('\n');
}

export function renderConfigManPage(version: string): string {
  const out = [
    ...header('proxmox-sleep.conf', 5, 'File Formats', version),
    '.SH NAME',
    'proxmox\\-sleep.conf \\- configuration of Proxmox Sleep Manager',
    '.SH DESCRIPTION',
    'Shell\\-style',
    '.I KEY=value',
    'lines: comments, blank lines, quotes, escapes, an optional',
    '.B export',
    'and',
    '.I $NAME',
    'expansion work as in bash, but the file is parsed, never executed; anything that would run a command is refused',
    'with its line number. Environment variables override the file, the file overrides the defaults. An empty value',
    'means the default. Flags are 0 or 1. Check the file with',
    '.BR "proxmox\\-sleep validate" ;',
    'see every effective value and its origin with',
    '.BR "proxmox\\-sleep config" .',
  ];
  for (const section of SECTIONS) {
    out.push(`.SH ${roff(section.toUpperCase())}`);
    for (const key of globalKeysIn(section)) {
      const def = key.type.format(key.default as never);
      out.push(
        '.TP',
        `.BR ${roff(key.name)} " (${roff(key.type.describe)}; default ${roff(def === '' ? '""' : def)})"`,
        roff(key.doc),
      );
    }
  }
  out.push(
    '.SH PER GUEST',
    'Each VM in',
    '.B VM_IDS',
    'takes',
    '.IR VM_<id>_<SETTING> ,',
    'each container in',
    '.B CONTAINER_IDS',
    'takes',
    '.IR CONTAINER_<id>_<SETTING> .',
  );
  for (const key of Object.values(GUEST_KEYS) as GuestKey<unknown>[]) {
    const kinds = key.kinds.map((k) => `${KIND_LABEL[k]}s`).join(', ');
    out.push('.TP', `.BR ${roff(key.suffix)} " (${roff(key.type.describe)}; ${roff(kinds)})"`, roff(key.doc));
  }
  out.push(
    '.SH EXAMPLE',
    '.nf',
    'VM_IDS="100"',
    'VM_100_NAME="gaming\\-pc"',
    'VM_100_SLEEP_ACTION=hibernate',
    'CONTAINER_IDS="200"',
    'IDLE_THRESHOLD_MINUTES=20',
    '.fi',
    '.SH SEE ALSO',
    '.BR proxmox\\-sleep (8)',
    '',
  );
  return out.join('\n');
}
