import * as fc from 'fast-check';
import { GLOBAL_KEYS, GUEST_KEYS, resolveConfig } from '../../../host/config';

const KEYS = [
  ...Object.values(GLOBAL_KEYS).map((k) => k.name),
  ...Object.values(GUEST_KEYS).flatMap((k) => [`VM_100_${k.suffix}`, `CONTAINER_200_${k.suffix}`]),
];

const value = fc.oneof(
  fc.constantFrom(
    '0',
    '1',
    '15',
    '08',
    '',
    'yes',
    'hibernate',
    'hiberate',
    'shutdown',
    'ssh',
    'qga-file',
    '100 100',
    '100',
    '200',
    '-1',
    '/x',
    'a b',
  ),
  fc.string({ maxLength: 12 }),
);
const quoted = fc.tuple(value, fc.constantFrom('', '"', "'")).map(([v, q]) => `${q}${v}${q}`);
const line = fc.oneof(
  fc.tuple(fc.constantFrom(...KEYS), quoted).map(([k, v]) => `${k}=${v}`),
  fc.tuple(fc.constantFrom(...KEYS), quoted).map(([k, v]) => `export ${k}=${v} # note`),
  fc
    .tuple(
      fc.constantFrom(...KEYS).map((k) => k.slice(0, -1)),
      quoted,
    )
    .map(([k, v]) => `${k}=${v}`),
  fc.constantFrom(
    '',
    '# comment',
    'VM_IDS="100 101"',
    'CONTAINER_IDS=200',
    'VMID=100',
    '  ',
    'garbage here',
    'A = 1',
    'X=$(id)',
  ),
  fc.string({ maxLength: 30 }),
);
const nearValidConfig = fc.array(line, { maxLength: 30 }).map((lines) => lines.join('\n'));

describe('configuration properties', () => {
  it('never throws on arbitrary bytes, and every problem from the file carries a line number', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const text = Buffer.from(bytes).toString('latin1');
        const loaded = resolveConfig(text, 'fuzz.conf', {});
        for (const p of loaded.problems.filter((x) => x.severity === 'error')) {
          expect(p.file).toBe('fuzz.conf');
          expect(typeof p.line).toBe('number');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on near-valid configurations; every error names a line, every guest gets a usable setting', () => {
    fc.assert(
      fc.property(nearValidConfig, (text) => {
        const loaded = resolveConfig(text, 'near.conf', {});
        for (const p of loaded.problems.filter((x) => x.severity === 'error')) {
          expect(p.line).toEqual(expect.any(Number));
          expect(p.line).toBeGreaterThanOrEqual(1);
        }
        for (const g of loaded.config.guests) {
          expect(['hibernate', 'shutdown', 'keep_running', 'ignore']).toContain(g.sleepAction);
          expect(Number.isInteger(g.idleTimeout)).toBe(true);
          expect(typeof g.resumeOnWake).toBe('boolean');
        }
        const ids = loaded.config.guests.map((g) => g.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(loaded.config.global.checkInterval).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 400 },
    );
  });
});
