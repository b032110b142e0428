/** Documentation generated from the key table: the example config, docs/config.md and `config --keys`. */
import {
  ENV_ONLY,
  GLOBAL_KEYS,
  GUEST_KEYS,
  KIND_LABEL,
  type GlobalKey,
  type GuestKey,
  SECTIONS,
  globalKeysIn,
} from './keys';

function wrap(text: string, width: number, prefix: string): string[] {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    if (current && (prefix + current + ' ' + word).length > width) {
      lines.push(prefix + current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(prefix + current);
  return lines;
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@,+-]*$/.test(value) && value !== ''
    ? value
    : `"${value.replace(/(["\\$`])/g, '\\$1')}"`;
}

function globalDefault(key: GlobalKey<unknown>): string {
  return key.type.format(key.default as never);
}

function guestDefault(key: GuestKey<unknown>): string {
  const d = key.default;
  if ('value' in d) return key.type.format(d.value as never) || '""';
  if ('perKind' in d)
    return key.kinds.map((k) => `${key.type.format(d.perKind[k] as never)} (${KIND_LABEL[k]}s)`).join(', ');
  if ('computed' in d) return key.suffix === 'NAME' ? 'vm-<id> / ct-<id>' : 'computed';
  return `${GLOBAL_KEYS[d.fromGlobal].name}`;
}

/** installer/proxmox-sleep.conf.example: every key, explained, with its default, and two sample guests. */
export function renderExampleConfig(): string {
  return renderConfigFile('example');
}

/**
 * installer/host/proxmox-sleep.conf: the /etc/proxmox-sleep.conf the host package installs. The same
 * explanations as the example, but every line is commented out and no guest is configured, so a fresh
 * install monitors nothing until the administrator lists the guests.
 */
export function renderDefaultConfig(): string {
  return renderConfigFile('default');
}

function renderConfigFile(kind: 'example' | 'default'): string {
  const example = kind === 'example';
  const out: string[] = ['# /etc/proxmox-sleep.conf — Proxmox Sleep Manager', '#'];
  if (!example) {
    out.push(
      '# No guest is configured yet, so the monitor (proxmox-sleep.service) is not running. To start:',
      '#   1. list the guests to manage below: VM_IDS="100 101" and/or CONTAINER_IDS="200";',
      '#   2. check this file:      proxmox-sleep validate',
      '#   3. start the monitor:    systemctl enable --now proxmox-sleep.service',
      '# The sleep hook (proxmox-sleep-hook.service) is already enabled. Package upgrades never overwrite this',
      '# file. A filled-in example: /usr/share/doc/proxmox-sleep/examples/proxmox-sleep.conf.example',
      '#',
    );
  }
  out.push(
    '# Shell-style KEY=value lines: comments, quotes and `export` work as in bash, but the file is parsed,',
    '# never executed. Environment variables override this file; this file overrides the defaults.',
    '# Check it with `proxmox-sleep validate`; see every effective value and where it came from with',
    '# `proxmox-sleep config`. Commented lines show the defaults.',
    '# (Generated from host/config/keys.ts by `npm run gen:docs`.)',
  );
  for (const section of SECTIONS) {
    out.push('', `# ── ${section} ${'─'.repeat(Math.max(3, 96 - section.length))}`);
    if (section === 'Legacy (single VM)') {
      out.push(
        '# Configurations of release 1.x keep working. Prefer VM_IDS and VM_<id>_* keys for new setups.',
      );
    }
    for (const key of globalKeysIn(section)) {
      out.push('', ...wrap(`${key.doc} [${key.type.describe}]`, 110, '# '));
      if (example && key.name === 'VM_IDS') out.push(`VM_IDS="100"`);
      else if (example && key.name === 'CONTAINER_IDS') out.push(`CONTAINER_IDS="200"`);
      else {
        const def = globalDefault(key);
        out.push(`#${key.name}=${shellQuote(def)}`);
        if (key.example && key.example !== def)
          out.push(`#${key.name}=${shellQuote(key.example)}    # example`);
      }
    }
  }
  out.push(
    '',
    `# ── Per guest ${'─'.repeat(87)}`,
    '# Each VM in VM_IDS is configured with VM_<id>_<SETTING>, each container in CONTAINER_IDS with',
    '# CONTAINER_<id>_<SETTING>. Anything not set takes the default shown.',
  );
  for (const key of Object.values(GUEST_KEYS) as GuestKey<unknown>[]) {
    const kinds = key.kinds.length === 1 ? ` (${KIND_LABEL[key.kinds[0]]}s only)` : '';
    out.push(
      '',
      ...wrap(
        `<SETTING> ${key.suffix}${kinds}: ${key.doc} [${key.type.describe}; default ${guestDefault(key)}]`,
        110,
        '# ',
      ),
    );
  }
  // In the default file the sample guests are commented out: they only show the shape.
  const sample = example ? '' : '#';
  out.push(
    '',
    example
      ? '# Example: VM 100, a Windows gaming VM with a passed-through GPU.'
      : '# Example (with VM_IDS="100"): VM 100, a Windows gaming VM with a passed-through GPU.',
    `${sample}VM_100_NAME="gaming-pc"`,
    `${sample}VM_100_SLEEP_ACTION=hibernate`,
    `${sample}VM_100_RESUME_ON_WAKE=1`,
    '#VM_100_IDLE_TIMEOUT=30',
    '#VM_100_GAMING_PROCESSES="steam.exe,EpicGamesLauncher.exe"',
    '#VM_100_TRANSPORT=qga-file',
    '#VM_100_ON_AGENT_MISSING=cpu',
    '#VM_100_ON_FAILURE=continue',
    '',
    example
      ? '# Example: container 200, a media server.'
      : '# Example (with CONTAINER_IDS="200"): container 200, a media server.',
    `${sample}CONTAINER_200_NAME="media"`,
    `${sample}CONTAINER_200_SLEEP_ACTION=shutdown`,
    '#CONTAINER_200_GAMING_PROCESSES="plexmediaserver"',
    '',
  );
  return out.join('\n');
}

/** docs/config.md: the same reference in Markdown. */
export function renderConfigReference(): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const out: string[] = [
    '# Host configuration reference',
    '',
    '`/etc/proxmox-sleep.conf` (or `--config FILE`, or the `CONFIG_FILE` environment variable) holds shell-style',
    '`KEY=value` lines. It is **parsed, never sourced**: quotes, escapes, comments, `export` and `$NAME` expansion',
    'work as in bash; anything that would run a command is refused with its line number.',
    '',
    'Precedence: environment variables override the file, the file overrides the defaults. An empty value means',
    '"use the default", except for lists marked below where "" means an empty list. Flags are `0` or `1`.',
    '`proxmox-sleep validate` lists every problem with `file:line`; `proxmox-sleep config` shows each effective',
    'value and where it came from (`default`, `file:LINE`, `env`, `legacy:…`, `inherited:…`).',
    '',
    '_Generated from `host/config/keys.ts` by `npm run gen:docs`._',
  ];
  for (const section of SECTIONS) {
    out.push('', `## ${section}`, '', '| key | type | default | meaning |', '| --- | --- | --- | --- |');
    for (const key of globalKeysIn(section)) {
      const def = globalDefault(key);
      out.push(
        `| \`${key.name}\` | ${esc(key.type.describe)} | ${def === '' ? '""' : `\`${esc(def)}\``} | ${esc(key.doc)} |`,
      );
    }
  }
  out.push(
    '',
    '## Per guest',
    '',
    'Keys `VM_<id>_<SETTING>` for VMs in `VM_IDS` and `CONTAINER_<id>_<SETTING>` for containers in `CONTAINER_IDS`.',
    '',
  );
  out.push('| setting | applies to | type | default | meaning |', '| --- | --- | --- | --- | --- |');
  for (const key of Object.values(GUEST_KEYS) as GuestKey<unknown>[]) {
    out.push(
      `| \`${key.suffix}\` | ${key.kinds.map((k) => KIND_LABEL[k] + 's').join(', ')} | ${esc(key.type.describe)} | ${esc(guestDefault(key))} | ${esc(key.doc)} |`,
    );
  }
  out.push('', '## Environment only', '', '| variable | meaning |', '| --- | --- |');
  for (const [name, doc] of Object.entries(ENV_ONLY)) out.push(`| \`${name}\` | ${esc(doc)} |`);
  out.push(
    '',
    '## Rules kept from release 1.x',
    '',
    '- Numbers are whole numbers without leading zeros (`08` and `010` are refused: bash read them as octal).',
    '- A flag with a value other than 0 or 1 is an error for `validate`; at run time it counts as 1 ("off only when exactly 0").',
    '- An unknown `SLEEP_ACTION` falls back to hibernate for VMs and shutdown for containers, never to ignore.',
    '- A container set to `hibernate` is shut down (with a warning).',
    '- `IDLE_THRESHOLD_MINUTES=0` turns auto-sleep off.',
    '- IDs listed twice are used once and reported.',
    '- Legacy `VMID=`: applies only while `VM_IDS` is empty; explicit `VM_<id>_*` keys win; `GAMING_PROCESSES` unset means the historical launcher list, `""` means none.',
    '- Unknown keys are warnings with a "did you mean" suggestion, so a typo never passes silently.',
    '',
  );
  return out.join('\n');
}

/** Plain-text key list for `proxmox-sleep config --keys`. */
export function renderKeyHelp(): string {
  const out: string[] = [];
  for (const section of SECTIONS) {
    out.push(`${section}:`);
    for (const key of globalKeysIn(section)) {
      const def = globalDefault(key);
      out.push(
        `  ${key.name}  [${key.type.describe}; default ${def === '' ? '""' : def}]`,
        ...wrap(key.doc, 100, '      '),
      );
    }
    out.push('');
  }
  out.push('Per guest (VM_<id>_<SETTING>, CONTAINER_<id>_<SETTING>):');
  for (const key of Object.values(GUEST_KEYS) as GuestKey<unknown>[]) {
    out.push(
      `  ${key.suffix}  [${key.type.describe}; default ${guestDefault(key)}; ${key.kinds.map((k) => KIND_LABEL[k] + 's').join(', ')}]`,
      ...wrap(key.doc, 100, '      '),
    );
  }
  out.push('', 'Environment only:');
  for (const [name, doc] of Object.entries(ENV_ONLY)) out.push(`  ${name}`, ...wrap(doc, 100, '      '));
  return out.join('\n') + '\n';
}
