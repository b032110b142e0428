import fc from 'fast-check';
import { decide } from '../../../agent-app/core/policy';
import type { AgentCheckReport as CheckReport } from '../../../agent-app/core/agent-check';
import { buildStatus, withBlock } from '../../../agent-app/core/status-builder';
import { parseStatus } from '../../../protocol';

const agent = { version: '2.0.0', os: 'linux' as const, variant: 'daemon' as const, hostname: 'guest' };
const noBlock = { active: false, until: null, source: null };
const report = (
  name: string,
  state: CheckReport['state'],
  extra: Partial<CheckReport> = {},
): CheckReport => ({
  name,
  checkReason: `${name}_reason`,
  state,
  reason: state === 'active' ? `${name}_active` : null,
  detail: `${name} ${state}`,
  durationMs: 1,
  ...extra,
});

describe('policy', () => {
  it('leaves unavailable checks out, keeps order, lists each reason once', () => {
    const decision = decide(
      [
        report('gpu', 'unavailable'),
        report('processes', 'active', { reason: 'process:a', reasons: ['process:a', 'process:b'] }),
        report('cpu', 'active', { reason: 'cpu_load' }),
        report('net', 'idle'),
        report('x', 'active', { reason: 'cpu_load' }),
      ],
      'idle',
    );
    expect(decision.reasons).toEqual(['process:a', 'process:b', 'cpu_load']);
    expect(decision.checks.map((c) => c.name)).toEqual(['processes', 'cpu', 'net', 'x']);
  });

  it('maps unknown through the configuration', () => {
    const reports = [report('gpu', 'unknown', { checkReason: 'gpu_active' }), report('cpu', 'idle')];
    expect(decide(reports, 'idle')).toMatchObject({ active: false, reasons: [] });
    expect(decide(reports, 'active')).toMatchObject({ active: true, reasons: ['gpu_active'] });
  });
});

describe('status documents', () => {
  it('starting: not idle, reason starting, no checks', () => {
    const status = buildStatus({
      agent,
      seq: 1,
      now: 0,
      intervalSeconds: 10,
      evaluation: { kind: 'starting' },
      block: noBlock,
    });
    expect(parseStatus(JSON.stringify(status))).toMatchObject({
      idle: false,
      reason: 'starting',
      reasons: ['starting'],
      checks: [],
    });
  });

  it('idle: no reasons, idle_seconds kept; active: idle_seconds 0', () => {
    const idle = buildStatus({
      agent,
      seq: 2,
      now: 0,
      intervalSeconds: 10,
      block: noBlock,
      evaluation: { kind: 'evaluated', decision: decide([report('cpu', 'idle')], 'idle'), idleSeconds: 42 },
    });
    expect(idle).toMatchObject({ idle: true, idle_seconds: 42, reason: null, reasons: [] });
    const active = buildStatus({
      agent,
      seq: 3,
      now: 0,
      intervalSeconds: 10,
      block: noBlock,
      evaluation: {
        kind: 'evaluated',
        decision: decide([report('cpu', 'active', { reason: 'cpu_load' })], 'idle'),
        idleSeconds: 42,
      },
    });
    expect(active).toMatchObject({ idle: false, idle_seconds: 0, reason: 'cpu_load' });
    parseStatus(JSON.stringify(idle));
    parseStatus(JSON.stringify(active));
  });

  it('a block makes the guest busy with user_block first', () => {
    const block = { active: true, until: '2026-11-26T23:00:00.000Z', source: 'cli' };
    const status = buildStatus({
      agent,
      seq: 4,
      now: 0,
      intervalSeconds: 10,
      block,
      evaluation: {
        kind: 'evaluated',
        decision: decide([report('cpu', 'active', { reason: 'cpu_load' })], 'idle'),
        idleSeconds: 0,
      },
    });
    expect(status).toMatchObject({
      idle: false,
      reason: 'user_block',
      reasons: ['user_block', 'cpu_load'],
      block,
    });
    const lifted = withBlock(status, noBlock);
    expect(lifted).toMatchObject({ idle: false, reason: 'cpu_load', reasons: ['cpu_load'], block: noBlock });
    const idleNowBlocked = withBlock(
      buildStatus({
        agent,
        seq: 5,
        now: 0,
        intervalSeconds: 10,
        block: noBlock,
        evaluation: { kind: 'evaluated', decision: decide([], 'idle'), idleSeconds: 300 },
      }),
      block,
    );
    expect(idleNowBlocked).toMatchObject({ idle: false, idle_seconds: 0, reasons: ['user_block'] });
    for (const s of [status, lifted, idleNowBlocked]) parseStatus(JSON.stringify(s));
  });

  it('always passes the host parser, whatever the checks report (property)', () => {
    const text = fc.string({ maxLength: 700, unit: 'grapheme-composite' });
    const name = fc.string({ minLength: 1, maxLength: 200 });
    const arbReport = fc.record({
      name,
      checkReason: fc.constantFrom('gpu_active', 'cpu_load', 'process:*', 'custom:x'),
      state: fc.constantFrom<CheckReport['state']>('active', 'idle', 'unknown', 'unavailable'),
      reason: fc.oneof(
        fc.constant(null),
        fc.constantFrom('gpu_active', 'user_input'),
        name.map((n) => `process:${n}`),
      ),
      detail: text,
      durationMs: fc.nat(),
      details: fc.record(
        {
          gpu_percent: fc.oneof(fc.double(), fc.constant(null)),
          network_kbps: fc.double(),
          load_average: fc.double(),
          user_idle_seconds: fc.double(),
          user_idle_source: text,
          sessions: fc.double(),
          active_processes: fc.array(text, { maxLength: 80 }),
          power_requests: fc.array(text, { maxLength: 80 }),
        },
        { requiredKeys: [] },
      ),
    });
    fc.assert(
      fc.property(
        fc.array(arbReport, { maxLength: 80 }),
        fc.constantFrom<'idle' | 'active'>('idle', 'active'),
        fc.boolean(),
        fc.nat({ max: 1e6 }),
        text,
        (reports, unknownIs, blocked, idleSeconds, hostname) => {
          const status = buildStatus({
            agent: { ...agent, hostname },
            seq: 7,
            now: Date.UTC(2026, 10, 26),
            intervalSeconds: 10,
            block: blocked ? { active: true, until: null, source: 'tray' } : noBlock,
            evaluation: {
              kind: 'evaluated',
              decision: decide(reports as CheckReport[], unknownIs),
              idleSeconds,
            },
          });
          const text = JSON.stringify(status);
          expect(Buffer.byteLength(text)).toBeLessThanOrEqual(64 * 1024);
          parseStatus(text);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('status size', () => {
  it('stays under 64 KiB with 64 checks of 500 three-byte characters', () => {
    const wide = '語'.repeat(600);
    const reports = Array.from({ length: 70 }, (_, i) =>
      report(`check${i}`, 'active', {
        reason: `process:${wide}`,
        detail: wide,
        evidence: { active_processes: Array(70).fill(wide), power_requests: Array(70).fill(wide) },
      }),
    );
    const status = buildStatus({
      agent,
      seq: 1,
      now: 0,
      intervalSeconds: 10,
      block: noBlock,
      evaluation: { kind: 'evaluated', decision: decide(reports, 'idle'), idleSeconds: 0 },
    });
    const text = JSON.stringify(status);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(64 * 1024);
    expect(parseStatus(text).checks).toHaveLength(64);
  });
});
