/**
 * What the docs test reads from Markdown: the code (fenced blocks and inline spans), the command lines of
 * `proxmox-sleep` / `proxmox-sleep-agent` in it, expanded into every form a reader may type, and the
 * configuration key names it mentions.
 */

export interface DocLine {
  file: string;
  line: number;
  text: string;
}

/** Fenced blocks line by line, and inline code spans of the prose (a table's `\|` is a `|`). */
export function codeOf(file: string, markdown: string): DocLine[] {
  const out: DocLine[] = [];
  let fenced = false;
  markdown.split('\n').forEach((raw, i) => {
    if (/^\s*```/.test(raw)) {
      fenced = !fenced;
      return;
    }
    if (fenced) out.push({ file, line: i + 1, text: raw });
    else
      for (const m of raw.matchAll(/`([^`]+)`/g))
        out.push({ file, line: i + 1, text: m[1].replace(/\\\|/g, '|') });
  });
  return out;
}

export type Program = 'proxmox-sleep' | 'proxmox-sleep-agent';

export interface DocCommand extends DocLine {
  program: Program;
  /** The arguments after the program name, as a shell would split them. */
  args: string[];
}

/** Placeholders a reader replaces: a guest ID, a time, a file. */
const PLACEHOLDERS: Record<string, string> = { '<id>': '101', N: '60', '…': 'text' };

/** Splits like a shell: quotes group, `#` starts a comment, `|`, `;`, `&&`, `>` end the command. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      word = (word ?? '') + text.slice(i + 1, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end;
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (word === null && (c === '#' || c === ';' || c === '>' || text.startsWith('&&', i))) break;
    else word = (word ?? '') + c;
  }
  if (word !== null) words.push(word);
  return words;
}

/**
 * Every form of a documented line: `a|b` words, `--x 1 | --y` option alternatives (a `|` before an option;
 * any other `|` is a pipe and ends the command), `[…]` optional parts written out.
 */
export function expand(words: string[]): string[][] {
  const groups: string[][] = [[]];
  for (let i = 0; i < words.length; i++) {
    if (words[i] !== '|') groups[groups.length - 1].push(words[i]);
    else if (words[i + 1]?.startsWith('-')) groups.push([]);
    else break;
  }
  const [first, ...rest] = groups;
  const optionAt = first.findIndex((w) => w.startsWith('-'));
  const stem = optionAt < 0 ? first : first.slice(0, optionAt);
  return [first, ...rest.map((g) => [...stem, ...g])].flatMap((line) =>
    line
      .map((w) => PLACEHOLDERS[w] ?? w.replace(/^\[|\]$/g, ''))
      .filter((w) => w !== '')
      .reduce<string[][]>((forms, w) => forms.flatMap((f) => w.split('|').map((alt) => [...f, alt])), [[]]),
  );
}

/**
 * Where a command starts: the start of the code (after a `$ ` prompt or `sudo`), or after `&&`, `;`, `(` or
 * `cmd /c`. Elsewhere the name is an argument (`ssh-keygen -C proxmox-sleep`) or a path.
 */
const COMMAND =
  /(?<=(?:^\s*(?:\$\s+)?|(?:&&|;|\(|\/c)\s*)(?:sudo\s+)?)(proxmox-sleep(?:-agent)?)(?![\w.(-])([^`]*)/g;

/** The command lines in one piece of code, expanded. */
export function commandsIn(line: DocLine): DocCommand[] {
  const out: DocCommand[] = [];
  for (const m of line.text.matchAll(COMMAND)) {
    const words = shellWords(m[2]);
    // The bare name (or `name …`) is a mention; a usage synopsis (`<command>`) describes rather than runs.
    if (words.every((w) => w === '…') || words.includes('<command>')) continue;
    for (const args of expand(words)) out.push({ ...line, program: m[1] as Program, args });
  }
  return out;
}

/** Upper-case names with an underscore, as configuration keys are written (`VM_<id>_SLEEP_ACTION` included). */
export function keyNamesIn(line: DocLine): string[] {
  return [...line.text.matchAll(/\b[A-Z][A-Z0-9]*(?:_(?:[A-Z0-9]+|<id>))+\b/g)].map((m) => m[0]);
}
