/**
 * Reads shell-style `KEY=value` lines the way bash would assign them, without running anything: comments,
 * blank lines, `export `, single quotes (literal), double quotes (with \" \\ \$ \` escapes), backslash
 * escapes, line continuations, `$NAME` / `${NAME}` expansion of earlier keys or the environment, and
 * trailing comments. Everything a shell would *execute* — command substitution, parameter operators,
 * redirections, `;` — is refused with the line number, because the file is parsed, never sourced.
 *
 * dotenv's parser was not used: it has no line numbers for errors and does not follow shell quoting
 * (it would, for example, keep `'a'\''b'` as written), and this file must mean what it meant to bash.
 */
import type { ConfigProblem } from '../../common/errors';

export interface Assignment {
  key: string;
  value: string;
  line: number;
}

export interface AssignmentParse {
  assignments: Assignment[];
  problems: ConfigProblem[];
}

class Refusal extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly fatal = false,
  ) {
    super(message);
  }
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const BLANK = /[ \t\r]/;
const METACHAR = new Set([';', '&', '|', '<', '>', '(', ')']);

export function parseShellAssignments(
  text: string,
  file: string | null,
  lookup: (name: string) => string | undefined = () => undefined,
): AssignmentParse {
  const assignments: Assignment[] = [];
  const problems: ConfigProblem[] = [];
  const defined = new Map<string, string>();
  let pos = 0;
  let line = 1;

  const peek = (o = 0) => text[pos + o];
  const atEol = () => pos >= text.length || text[pos] === '\n';
  const problem = (
    severity: ConfigProblem['severity'],
    message: string,
    at: number,
    key: string | null = null,
  ) => problems.push({ severity, file, line: at, key, message });
  const skipBlanks = () => {
    while (pos < text.length && BLANK.test(text[pos])) pos++;
  };
  const skipToEol = () => {
    while (!atEol()) pos++;
  };
  const readName = () => {
    const start = pos;
    if (pos < text.length && NAME_START.test(text[pos])) {
      pos++;
      while (pos < text.length && NAME_CHAR.test(text[pos])) pos++;
    }
    return text.slice(start, pos);
  };

  const expand = (startLine: number, key: string): string => {
    // at '$'
    pos++;
    const c = peek();
    if (c === '(')
      throw new Refusal(
        `command substitution $(…) is not supported: this file is parsed, never run`,
        startLine,
      );
    if (c === '{') {
      pos++;
      const name = readName();
      if (!name || peek() !== '}') {
        throw new Refusal(
          'only ${NAME} is supported; parameter operators such as ${NAME:-x} are not',
          startLine,
        );
      }
      pos++;
      return resolve(name, startLine, key);
    }
    if (c !== undefined && NAME_START.test(c)) return resolve(readName(), startLine, key);
    return '$';
  };

  const resolve = (name: string, at: number, key: string): string => {
    const value = defined.get(name) ?? lookup(name);
    if (value === undefined) {
      problem(
        'warning',
        `$${name} is not set earlier in this file or in the environment; it expands to nothing`,
        at,
        key,
      );
      return '';
    }
    return value;
  };

  const readValue = (key: string): string => {
    let value = '';
    while (pos < text.length) {
      const c = text[pos];
      if (c === '\n' || BLANK.test(c)) break;
      if (c === "'") {
        const open = line;
        pos++;
        const end = text.indexOf("'", pos);
        if (end < 0) throw new Refusal('unterminated single quote', open, true);
        const chunk = text.slice(pos, end);
        line += chunk.split('\n').length - 1;
        value += chunk;
        pos = end + 1;
      } else if (c === '"') {
        const open = line;
        pos++;
        for (;;) {
          if (pos >= text.length) throw new Refusal('unterminated double quote', open, true);
          const d = text[pos];
          if (d === '"') {
            pos++;
            break;
          }
          if (d === '\\') {
            const e = text[pos + 1];
            if (e === '\n') {
              pos += 2;
              line++;
            } else if (e === '"' || e === '\\' || e === '$' || e === '`') {
              value += e;
              pos += 2;
            } else {
              value += '\\';
              pos++;
            }
          } else if (d === '$') {
            value += expand(line, key);
          } else if (d === '`') {
            throw new Refusal(
              'command substitution `…` is not supported: this file is parsed, never run',
              line,
            );
          } else {
            if (d === '\n') line++;
            value += d;
            pos++;
          }
        }
      } else if (c === '\\') {
        const e = text[pos + 1];
        if (e === undefined) {
          pos++;
        } else if (e === '\n') {
          pos += 2;
          line++;
        } else {
          value += e;
          pos += 2;
        }
      } else if (c === '$') {
        if (peek(1) === "'")
          throw new Refusal("ANSI-C quoting $'…' is not supported; use single or double quotes", line);
        value += expand(line, key);
      } else if (c === '`') {
        throw new Refusal('command substitution `…` is not supported: this file is parsed, never run', line);
      } else if (METACHAR.has(c)) {
        throw new Refusal(
          `unexpected '${c}' in the value of ${key}: quote the value if it contains shell characters`,
          line,
        );
      } else {
        value += c;
        pos++;
      }
    }
    return value;
  };

  const statement = () => {
    skipBlanks();
    if (atEol()) return;
    if (peek() === '#') return skipToEol();
    const startLine = line;
    let sawExport = false;
    for (;;) {
      const save = pos;
      const word = readName();
      if (word === 'export' && pos < text.length && BLANK.test(text[pos]) && !sawExport) {
        sawExport = true;
        skipBlanks();
        continue;
      }
      if (!word) {
        throw new Refusal(`expected KEY=value, found ${describeChar(peek())}`, startLine);
      }
      if (peek() !== '=') {
        if (sawExport && (atEol() || BLANK.test(peek()) || peek() === '#')) {
          problem('warning', `"export ${word}" without a value sets nothing here`, startLine, word);
          skipBlanks();
          if (atEol() || peek() === '#') return skipToEol();
          continue;
        }
        const rest = text.slice(save, text.indexOf('\n', save) < 0 ? undefined : text.indexOf('\n', save));
        if (/^[A-Za-z_][A-Za-z0-9_]*[ \t]+=/.test(rest))
          throw new Refusal(`no spaces are allowed around '=' (write ${word}=value)`, startLine);
        throw new Refusal(`expected KEY=value, found "${rest.trim().slice(0, 40)}"`, startLine);
      }
      pos++; // '='
      const value = readValue(word);
      assignments.push({ key: word, value, line: startLine });
      defined.set(word, value);
      skipBlanks();
      if (atEol()) return;
      if (peek() === '#') return skipToEol();
      const lookahead = pos;
      const next = readName();
      pos = lookahead;
      if (next && text[pos + next.length] === '=') continue; // A=1 B=2 on one line, as bash allows
      throw new Refusal(
        `unexpected text after the value of ${word}: quote values that contain spaces (${word}="…")`,
        startLine,
      );
    }
  };

  while (pos < text.length) {
    try {
      statement();
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      problem('error', e.message, e.line);
      if (e.fatal) break;
      skipToEol();
    }
    if (pos < text.length && text[pos] === '\n') {
      pos++;
      line++;
    }
  }
  return { assignments, problems };
}

function describeChar(c: string | undefined): string {
  if (c === undefined) return 'the end of the file';
  if (/[\x20-\x7e]/.test(c)) return `'${c}'`;
  return `character U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
