import { readFileSync } from 'fs';
import * as path from 'path';
import * as protocol from '../../protocol';

describe('protocol contract', () => {
  it('exports exactly this list (a change here is a contract change)', () => {
    expect(Object.keys(protocol).sort()).toEqual(
      [
        'BlockArgsSchema',
        'BlockStateSchema',
        'AgentInfoSchema',
        'CHECK_STATES',
        'COMMAND_NAMES',
        'CheckResultSchema',
        'CheckStateSchema',
        'Commands',
        'DetailsSchema',
        'DOCTOR_VERDICTS',
        'DoctorCheckSchema',
        'DoctorReportSchema',
        'MAX_REPLY_BYTES',
        'MAX_STATUS_BYTES',
        'NotifyArgsSchema',
        'PROTOCOL_VERSION',
        'ProtocolError',
        'REASONS',
        'REASON_PATTERN',
        'REASON_PREFIXES',
        'ReasonSchema',
        'ReplySchema',
        'SAFE_TEXT_PATTERN',
        'StatusSchema',
        'WakeAtArgsSchema',
        'isKnownReason',
        'parseReply',
        'parseStatus',
        'protocolJsonSchema',
        'protocolJsonSchemaText',
        'safeParseStatus',
      ].sort(),
    );
  });

  it('pins the version, the size limit and the reason vocabulary', () => {
    expect(protocol.PROTOCOL_VERSION).toBe(1);
    expect(protocol.MAX_STATUS_BYTES).toBe(65536);
    expect(protocol.REASONS).toEqual([
      'user_input',
      'gpu_active',
      'power_request',
      'cpu_load',
      'network_active',
      'session_active',
      'user_block',
      'starting',
    ]);
    expect(protocol.COMMAND_NAMES).toEqual([
      'status',
      'hibernate',
      'shutdown',
      'notify',
      'block',
      'doctor',
      'wake-at',
    ]);
    expect(protocol.DOCTOR_VERDICTS).toEqual(['ok', 'warning', 'problem']);
  });

  it('knows which reasons belong to the v1 vocabulary', () => {
    expect(protocol.isKnownReason('gpu_active')).toBe(true);
    expect(protocol.isKnownReason('process:game.exe')).toBe(true);
    expect(protocol.isKnownReason('process:')).toBe(false);
    expect(protocol.isKnownReason('audio_playing')).toBe(false);
  });

  it('has an up-to-date docs/protocol.schema.json (run `npm run gen:schema` after changing protocol/)', () => {
    const checkedIn = readFileSync(path.join(__dirname, '..', '..', 'docs', 'protocol.schema.json'), 'utf8');
    expect(checkedIn).toBe(protocol.protocolJsonSchemaText());
  });

  it('block arguments take exactly one form', () => {
    expect(protocol.BlockArgsSchema.safeParse({ for: '1h' }).success).toBe(true);
    expect(protocol.BlockArgsSchema.safeParse({ off: true }).success).toBe(true);
    expect(protocol.BlockArgsSchema.safeParse({}).success).toBe(false);
  });
});
