/**
 * `next_wake_at` (v1.1): a guest's wake request. The host reads it strictly (a bounded ISO time with an
 * offset, no control characters) but a bad value only loses the request, never the rest of the document.
 */
import * as fc from 'fast-check';
import { WakeAtArgsSchema, parseStatus, protocolJsonSchema } from '../../protocol';
import { activeStatus, bytes, idleStatus } from '../helpers/status-samples';

const withWake = (value: unknown, base = idleStatus()) =>
  parseStatus(bytes({ ...base, next_wake_at: value }));

describe('next_wake_at', () => {
  it.each(['2026-12-24T06:30:00Z', '2026-12-24T07:30:00+01:00', '2026-12-24T06:30:00.123Z'])(
    'keeps a valid time (%s)',
    (at) => expect(withWake(at).next_wake_at).toBe(at),
  );

  it('keeps null, and an older agent without the field has none', () => {
    expect(withWake(null).next_wake_at).toBeNull();
    expect('next_wake_at' in parseStatus(bytes(idleStatus()))).toBe(false);
  });

  it.each([
    ['a time without an offset (whose clock?)', '2026-12-24T06:30:00'],
    ['a date only', '2026-12-24'],
    ['words', 'tomorrow morning'],
    ['a control character', '2026-12-24T06:30:00Z\u001b[2J'],
    ['a line break', '2026-12-24T06:30:00Z\nfake log line'],
    ['a year before 2000', '1999-12-31T23:59:59Z'],
    ['a year after 2099', '2100-01-01T00:00:00Z'],
    ['an impossible date', '2026-02-30T06:30:00Z'],
    ['an epoch number', 1798093800],
    ['an object', { at: '2026-12-24T06:30:00Z' }],
    ['a list', ['2026-12-24T06:30:00Z']],
    ['a very long string', `2026-12-24T06:30:00${'0'.repeat(5000)}Z`],
  ])('reads %s as no request and keeps the rest of the document', (_what, value) => {
    const idle = withWake(value);
    expect(idle.next_wake_at).toBeNull();
    expect(idle).toMatchObject({ idle: true, idle_seconds: 600, seq: 42 });
    const active = withWake(value, activeStatus(['gpu_active']));
    expect(active).toMatchObject({ idle: false, reason: 'gpu_active', next_wake_at: null });
  });

  it('never changes the verdict, whatever a guest writes there', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const status = withWake(value);
        expect(status.idle).toBe(true);
        expect(status.reasons).toEqual([]);
        const wake = status.next_wake_at;
        if (typeof wake === 'string') expect(Number.isFinite(Date.parse(wake))).toBe(true);
        else expect(wake).toBeNull();
      }),
    );
  });

  it('is described in the JSON Schema as a date-time or null', () => {
    const status = protocolJsonSchema().$defs as Record<string, { properties: Record<string, unknown> }>;
    expect(status.status.properties.next_wake_at).toMatchObject({
      anyOf: [{ type: 'string', format: 'date-time', maxLength: 40 }, { type: 'null' }],
    });
  });
});

describe('wake-at arguments', () => {
  it('take a time or off, exactly one', () => {
    expect(WakeAtArgsSchema.safeParse({ at: '07:00' }).success).toBe(true);
    expect(WakeAtArgsSchema.safeParse({ off: true }).success).toBe(true);
    expect(WakeAtArgsSchema.safeParse({}).success).toBe(false);
    expect(WakeAtArgsSchema.safeParse({ at: '07:00\u0007' }).success).toBe(false);
    expect(WakeAtArgsSchema.safeParse({ at: '' }).success).toBe(false);
  });
});
