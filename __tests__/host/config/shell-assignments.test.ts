import { parseShellAssignments } from '../../../host/config/shell-assignments';

const parse = (text: string, env: Record<string, string> = {}) =>
  parseShellAssignments(text, 'test.conf', (n) => env[n]);
const values = (text: string, env: Record<string, string> = {}) => {
  const r = parse(text, env);
  expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return Object.fromEntries(r.assignments.map((a) => [a.key, a.value]));
};

describe('shell-style KEY=value parsing (never sourced)', () => {
  it('reads plain values, blank lines and comments with their line numbers', () => {
    const r = parse('# comment\n\nA=1\n   # indented comment\nB=two\n');
    expect(r.assignments).toEqual([
      { key: 'A', value: '1', line: 3 },
      { key: 'B', value: 'two', line: 5 },
    ]);
    expect(r.problems).toEqual([]);
  });

  it('accepts an export prefix', () => {
    expect(values('export A=1\nexport  B="x y"')).toEqual({ A: '1', B: 'x y' });
  });

  it('reads single quotes literally', () => {
    expect(values(`A='$HOME \\n "x"'`)).toEqual({ A: '$HOME \\n "x"' });
  });

  it('handles the usual escapes in double quotes', () => {
    expect(values('A="a\\"b\\\\c\\$d\\`e\\nf"')).toEqual({ A: 'a"b\\c$d`e\\nf' });
  });

  it("joins adjacent quoted parts like bash ('it'\\''s')", () => {
    expect(values(`A='it'\\''s'`)).toEqual({ A: "it's" });
  });

  it('takes a backslash-escaped character literally outside quotes', () => {
    expect(values('A=a\\ b\\#c')).toEqual({ A: 'a b#c' });
  });

  it('keeps # inside a word but strips a trailing comment', () => {
    expect(values('A=a#b   # comment\nB="x" # c')).toEqual({ A: 'a#b', B: 'x' });
  });

  it('reads an empty value', () => {
    expect(values('A=\nB=""\nC=\'\' # none')).toEqual({ A: '', B: '', C: '' });
  });

  it('follows line continuations and multi-line quotes, keeping the start line', () => {
    const r = parse('A="one\ntwo"\nB=x\\\ny\nC=3');
    expect(r.assignments).toEqual([
      { key: 'A', value: 'one\ntwo', line: 1 },
      { key: 'B', value: 'xy', line: 3 },
      { key: 'C', value: '3', line: 5 },
    ]);
  });

  it('expands $NAME and ${NAME} from earlier keys, then the environment', () => {
    expect(values('A=100\nB="$A 101"\nC=${A}x\nD=$HOME', { HOME: '/root' })).toEqual({
      A: '100',
      B: '100 101',
      C: '100x',
      D: '/root',
    });
  });

  it('warns when an expanded name is not set', () => {
    const r = parse('A=$NOPE');
    expect(r.assignments[0].value).toBe('');
    expect(r.problems).toEqual([expect.objectContaining({ severity: 'warning', line: 1, key: 'A' })]);
  });

  it('keeps a lone $ literally', () => {
    expect(values('A="cost $5"\nB=a$')).toEqual({ A: 'cost $5', B: 'a$' });
  });

  it('reads several assignments on one line, as bash does', () => {
    expect(values('A=1 B=2')).toEqual({ A: '1', B: '2' });
  });

  it('handles CRLF line endings', () => {
    expect(values('A=1\r\nB=2\r\n')).toEqual({ A: '1', B: '2' });
  });

  it.each([
    ['A=$(rm -rf /)', /command substitution/],
    ['A=`id`', /command substitution/],
    ['A="x `id`"', /command substitution/],
    ['A=${B:-x}', /parameter operators/],
    ["A=$'x'", /ANSI-C/],
    ['A=1; B=2', /unexpected ';'/],
    ['A=x > /tmp/f', /unexpected text after the value/],
    ['A=hello world', /quote values that contain spaces/],
    ['A = 1', /no spaces are allowed around '='/],
    ['if true; then A=1; fi', /expected KEY=value/],
    ['1A=2', /expected KEY=value/],
    ['A=x|y', /unexpected '\|'/],
  ])('refuses %s with the line number', (text, message) => {
    const r = parse(`OK=1\n${text}\nAFTER=2`);
    const errors = r.problems.filter((p) => p.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].line).toBe(2);
    expect(errors[0].file).toBe('test.conf');
    expect(errors[0].message).toMatch(message);
    // the lines around it are still read
    expect(r.assignments.map((a) => a.key)).toEqual(expect.arrayContaining(['OK', 'AFTER']));
  });

  it('stops at an unterminated quote and names the line where it opened', () => {
    const r = parse('A=1\nB="never closed\nC=3');
    expect(r.problems).toEqual([
      expect.objectContaining({ severity: 'error', line: 2, message: 'unterminated double quote' }),
    ]);
    expect(r.assignments.map((a) => a.key)).toEqual(['A']);
  });

  it('treats "export NAME" without a value as a harmless no-op', () => {
    const r = parse('export A\nB=1');
    expect(r.assignments.map((a) => a.key)).toEqual(['B']);
    expect(r.problems).toEqual([expect.objectContaining({ severity: 'warning', line: 1 })]);
  });
});
