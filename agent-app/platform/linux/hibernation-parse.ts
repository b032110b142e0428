/** Parsers for the kernel files the Linux hibernation check reads (all plain text, one format each). */

export interface SwapArea {
  /** As /proc/swaps prints it (spaces in a path come as \040). */
  name: string;
  type: 'partition' | 'file' | string;
  sizeKiB: number;
  usedKiB: number;
  priority: number;
}

/** /proc/swaps: a header, then `Filename Type Size Used Priority` per area (sizes in KiB). */
export function parseProcSwaps(text: string): SwapArea[] {
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 5 && /^\d+$/.test(f[2]))
    .map(([name, type, size, used, priority]) => ({
      name: name.replace(/\\040/g, ' '),
      type,
      sizeKiB: Number(size),
      usedKiB: Number(used),
      priority: Number(priority),
    }));
}

/** zram is compressed RAM: it cannot hold an image of RAM. */
export const isZram = (area: SwapArea): boolean => /^\/dev\/zram\d+$/.test(area.name);

/** /proc/meminfo values in KiB (`MemTotal:  2030712 kB`). */
export function parseMeminfo(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([\w()]+):\s+(\d+)/.exec(line);
    if (m) values.set(m[1], Number(m[2]));
  }
  return values;
}

/** The kernel command line's `key=value` words (the last one wins, as in the kernel); bare words map to "". */
export function parseCmdline(text: string): Map<string, string> {
  const words = new Map<string, string>();
  for (const word of text.trim().split(/\s+/)) {
    if (word === '--') break; // what follows belongs to init
    if (word === '') continue;
    const eq = word.indexOf('=');
    if (eq < 0) words.set(word, '');
    else words.set(word.slice(0, eq), word.slice(eq + 1).replace(/^"(.*)"$/, '$1'));
  }
  return words;
}

/** A sysfs choice list such as `none [integrity] confidentiality`: every word and the one in brackets. */
export function parseChoice(text: string): { choices: string[]; selected: string | null } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const selected = words.find((w) => /^\[.+\]$/.test(w));
  return {
    choices: words.map((w) => w.replace(/^\[(.*)\]$/, '$1')),
    selected: selected?.slice(1, -1) ?? null,
  };
}

/** `RESUME=…` in initramfs-tools' conf.d/resume (shell syntax, quotes optional). */
export function parseInitramfsResume(text: string): string | null {
  let value: string | null = null;
  for (const line of text.split('\n')) {
    const m = /^\s*RESUME=(["']?)(.*)\1\s*$/.exec(line);
    if (m) value = m[2];
  }
  return value;
}

/** `systemd 252 (252.39-1~deb12u1)` → 252. */
export function parseSystemdVersion(text: string): number | null {
  const m = /^systemd (\d+)/.exec(text.trim());
  return m ? Number(m[1]) : null;
}

/** Paths of NVIDIA kernel modules in an initramfs listing (lsinitramfs, lsinitrd, lsinitcpio). */
export function nvidiaModulesIn(listing: string): string[] {
  return listing
    .split('\n')
    .map((line) => line.trim().split(/\s+/).pop() ?? '')
    .filter((p) => /(^|\/)nvidia[\w-]*\.ko(\.(xz|zst|gz))?$/.test(p));
}

/** /proc/modules lists the NVIDIA driver (`nvidia 56823808 …`). */
export const nvidiaLoaded = (procModules: string): boolean => /^nvidia\s/m.test(procModules);
