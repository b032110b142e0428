import * as fc from 'fast-check';
import {
  MAX_STATUS_BYTES,
  ProtocolError,
  REASONS,
  parseReply,
  parseStatus,
  safeParseStatus,
} from '../../protocol';
import { activeStatus, bytes, idleStatus } from '../helpers/status-samples';

function refusal(input: Uint8Array | string): ProtocolError {
  const result = safeParseStatus(input);
  if (result.ok) throw new Error('expected the status to be refused');
  return result.error;
}

describe('parseStatus accepts valid documents', () => {
  it('reads an idle status', () => {
    const status = parseStatus(bytes(idleStatus()));
    expect(status.idle).toBe(true);
    expect(status.idle_seconds).toBe(600);
  });

  it.each([...REASONS, 'process:game.exe', 'process:steam', 'custom:backup-running'])(
    'reads an active status with reason %s',
    (reason) => {
      const status = parseStatus(bytes(activeStatus(reason === 'user_block' ? ['user_block'] : [reason])));
      expect(status.reason).toBe(reason);
      expect(status.idle).toBe(false);
    },
  );

  it('reads several reasons with a block', () => {
    const s = activeStatus(['user_block', 'gpu_active', 'process:game.exe'], {
      block: { active: true, until: '2026-11-26T05:00:00+01:00', source: 'tray' },
    });
    expect(parseStatus(bytes(s)).block.until).toBe('2026-11-26T05:00:00+01:00');
  });

  it('accepts fields from a newer minor revision and drops them', () => {
    const s = {
      ...idleStatus(),
      future_field: { x: 1 },
      details: { ...idleStatus().details, fan_rpm: 1200 },
    };
    const parsed = parseStatus(bytes(s)) as Record<string, unknown>;
    expect(parsed.future_field).toBeUndefined();
    expect((parsed.details as Record<string, unknown>).fan_rpm).toBeUndefined();
  });

  it('accepts a reason word a newer agent introduced', () => {
    expect(parseStatus(bytes(activeStatus(['audio_playing']))).reason).toBe('audio_playing');
  });

  it('accepts an older agent that omits optional details', () => {
    expect(parseStatus(bytes(idleStatus({ details: {} }))).details).toEqual({});
  });

  it('skips a UTF-8 byte-order mark', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes(idleStatus())]);
    expect(parseStatus(withBom).seq).toBe(42);
  });

  it('accepts non-ASCII names', () => {
    expect(
      parseStatus(
        bytes(
          activeStatus(['process:Spiel.exe'], {
            agent: { ...idleStatus().agent, hostname: 'Wohnzimmer-PC-ü' },
          }),
        ),
      ).agent.hostname,
    ).toBe('Wohnzimmer-PC-ü');
  });
});

describe('parseStatus refuses bad documents with the field and the reason', () => {
  it('refuses more than 64 KiB without reading it', () => {
    const big = Buffer.alloc(MAX_STATUS_BYTES + 1, 0x20);
    const e = refusal(big);
    expect(e.code).toBe('too_large');
    expect(e.message).toContain(String(MAX_STATUS_BYTES));
  });

  it('refuses an empty file', () => {
    expect(refusal(Buffer.alloc(0)).code).toBe('empty');
  });

  it('refuses bytes that are not UTF-8', () => {
    const e = refusal(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    expect(e.code).toBe('not_utf8');
  });

  it('refuses invalid JSON', () => {
    const e = refusal('{"schema": 1,');
    expect(e.code).toBe('invalid_json');
  });

  it('refuses a JSON document that is not an object', () => {
    expect(refusal('[1,2]').code).toBe('wrong_shape');
    expect(refusal('null').code).toBe('wrong_shape');
  });

  it('refuses a newer schema with a clear message', () => {
    const e = refusal(bytes({ ...idleStatus(), schema: 2 }));
    expect(e.code).toBe('unsupported_schema');
    expect(e.field).toBe('schema');
    expect(e.message).toContain('schema 2');
  });

  it.each([
    ['seq', { seq: -1 }],
    ['seq', { seq: 1.5 }],
    ['idle', { idle: 'yes' }],
    ['written_at', { written_at: 'yesterday' }],
    ['interval_seconds', { interval_seconds: 0 }],
    ['agent.os', { agent: { version: '1', os: 'beos', variant: 'daemon', hostname: 'h' } }],
    ['details.gpu_percent', { details: { gpu_percent: 150 } }],
    ['details.load_average', { details: { load_average: -1 } }],
    ['checks[0].state', { checks: [{ name: 'gpu', state: 'busy', detail: '' }] }],
    ['block', { block: true }],
  ])('names %s when it is wrong', (field, patch) => {
    const e = refusal(bytes({ ...idleStatus(), ...patch }));
    expect(e.code).toBe('wrong_shape');
    expect(e.field).toBe(field);
    expect(e.message).toContain(field);
  });

  it('names a missing field', () => {
    const { seq: _seq, ...rest } = idleStatus();
    const e = refusal(bytes(rest));
    expect(e.field).toBe('seq');
  });

  it.each([
    [
      'agent.hostname',
      { agent: { version: '1', os: 'linux', variant: 'daemon', hostname: 'evil\u001b[2Jhost' } },
    ],
    ['checks[0].detail', { checks: [{ name: 'gpu', state: 'idle', detail: 'fake\nlog line' }] }],
    ['details.active_processes[0]', { details: { active_processes: ['a\u202egnp.exe'] } }],
  ])('refuses control characters in %s', (field, patch) => {
    const e = refusal(bytes({ ...idleStatus(), ...patch }));
    expect(e.field).toBe(field);
    expect(e.message).toContain('control characters');
  });

  it('refuses a control character inside a reason', () => {
    const e = refusal(bytes(activeStatus(['process:game\u0007.exe'])));
    expect(e.field).toBe('reason');
  });

  it.each([
    ['reason', { ...idleStatus(), reason: 'gpu_active' }],
    ['reasons', { ...idleStatus(), reasons: ['gpu_active'] }],
    ['block.active', { ...idleStatus(), block: { active: true, until: null, source: 'tray' } }],
    ['reason', { ...activeStatus(['gpu_active']), reason: null }],
    ['reasons', { ...activeStatus(['gpu_active']), reason: 'cpu_load' }],
    ['idle_seconds', { ...activeStatus(['gpu_active']), idle_seconds: 30 }],
    ['reasons', { ...activeStatus(['gpu_active']), block: { active: true, until: null, source: 'tray' } }],
  ])('refuses a contradictory document (%s)', (field, doc) => {
    const e = refusal(bytes(doc));
    expect(e.code).toBe('wrong_shape');
    expect(e.field).toBe(field);
  });

  it('never throws anything but ProtocolError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (input) => {
        const r = safeParseStatus(input);
        if (r.ok) throw new Error('random bytes parsed as a status');
      }),
    );
  });

  it('never accepts a mutated status as idle unless it still satisfies every rule', () => {
    const base = idleStatus() as unknown as Record<string, unknown>;
    const keys = Object.keys(base);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue(), (key, value) => {
        const r = safeParseStatus(bytes({ ...base, [key]: value }));
        if (r.ok && r.value.idle) {
          expect(r.value.reason).toBeNull();
          expect(r.value.block.active).toBe(false);
        }
      }),
    );
  });
});

describe('parseReply', () => {
  it('reads a reply line', () => {
    expect(parseReply('{"success": true, "message": "Hibernation initiated"}\n')).toEqual({
      success: true,
      message: 'Hibernation initiated',
    });
  });
  it('refuses a reply without success', () => {
    expect(() => parseReply('{"message":"x"}')).toThrow(/success/);
  });
});
