/**
 * Property tests over hostile status payloads: whatever a guest writes, reading and deciding never throws,
 * never reaches the output unescaped, and never makes a guest idle unless it sent a valid idle status.
 */
import fc from 'fast-check';
import { SimulatedClock } from '../../../common/clock';
import { createCheckRunner } from '../../../common/check';
import * as agentStatus from '../../../host/checks/agent-status';
import type { GuestConfig } from '../../../host/config';
import { toSignal } from '../../../host/monitor/observe';
import type { Report } from '../../../host/cli/report';
import { renderStatusText } from '../../../host/cli/render-text';
import { decide, type GuestSignal } from '../../../host/policy';
import type { GuestAgent, Proxmox } from '../../../host/proxmox/types';
import { createGuestChannels, memoryOsCache, type StatusTransport } from '../../../host/guest';
import { safeParseStatus } from '../../../protocol';
import { activeStatus, idleStatus } from '../../helpers/status-samples';
import { T0, agentIs, config, cpu, hostIdle, obs, policy, vm } from './build';

const guest = {
  kind: 'vm',
  id: 100,
  name: 'vm100',
  transport: 'qga-file',
  statusPath: '',
  checkPowerRequests: true,
  checkUserIdle: true,
} as unknown as GuestConfig;
const serving = (payload: Buffer): StatusTransport => ({
  name: 'qga-file',
  describe: () => 'test',
  read: async () => payload,
});
const runner = createCheckRunner({ clock: new SimulatedClock(), timeoutMs: 1000 });

/** The real channel and the real agent-status check, on a transport that serves `payload`. */
async function agentSignal(payload: Buffer): Promise<GuestSignal> {
  const channel = createGuestChannels({
    transport: () => serving(payload),
    agent: {} as GuestAgent,
    proxmox: {} as Proxmox,
    run: () => Promise.reject(new Error('no commands in this test')),
    osCache: memoryOsCache(),
  })(guest);
  const check = agentStatus.create(guest, channel);
  const context = {
    now: T0,
    timeoutMs: 1000,
    info: undefined,
    shared: <T>(_k: string, read: () => Promise<T>) => read(),
  };
  const [report] = await runner.run([check], context);
  return toSignal(check, report);
}

async function verdictFor(payload: Buffer, onAgentMissing: 'cpu' | 'active', cpuPercent: number | null) {
  const agent = await agentSignal(payload);
  const fallback = onAgentMissing === 'cpu' ? [cpu(cpuPercent)] : [];
  const d = decide(
    obs([vm(100, agentIs(agent, fallback))]),
    config([policy('vm:100', { onAgentMissing })]),
    T0,
    null,
  );
  return { agent, d };
}

/**
 * Payloads a hostile guest might write: noise, JSON of any shape, valid documents with fields swapped.
 * `canBeIdle` says whether the payload is built on a valid idle status: only those may parse as idle, which
 * keeps the parser used as the oracle below (the host's own) honest.
 */
const hostileCase = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((a) => ({ payload: Buffer.from(a), canBeIdle: false })),
  fc.json().map((j) => ({ payload: Buffer.from(j), canBeIdle: false })),
  fc.jsonValue().map((v) => ({ payload: Buffer.from(JSON.stringify(v)), canBeIdle: false })),
  fc
    .record({
      key: fc.constantFrom(
        'idle',
        'idle_seconds',
        'reason',
        'reasons',
        'seq',
        'schema',
        'block',
        'agent',
        'written_at',
        'details',
        'checks',
      ),
      value: fc.anything(),
      base: fc.constantFrom(activeStatus(['user_input']), activeStatus(['user_block']), idleStatus()),
    })
    .map(({ key, value, base }) => {
      const canBeIdle = base.idle;
      try {
        return { payload: Buffer.from(JSON.stringify({ ...base, [key]: value }) ?? ''), canBeIdle };
      } catch {
        return { payload: Buffer.from('{'), canBeIdle: false };
      }
    }),
  fc.string({ unit: 'binary', maxLength: 300 }).map((s) => ({
    payload: Buffer.from(JSON.stringify({ ...idleStatus(), agent: { ...idleStatus().agent, hostname: s } })),
    canBeIdle: true,
  })),
  fc
    .integer({ min: 64 * 1024 - 10, max: 70 * 1024 })
    .map((n) => ({ payload: Buffer.alloc(n, 0x20), canBeIdle: false })),
);
const hostilePayload = hostileCase.map((c) => c.payload);

test('never throws, and with ON_AGENT_MISSING=active nothing but a valid idle status is idle', async () => {
  await fc.assert(
    fc.asyncProperty(hostileCase, async ({ payload, canBeIdle }) => {
      const { agent, d } = await verdictFor(payload, 'active', 1);
      const parsed = safeParseStatus(payload);
      const validIdle = parsed.ok && parsed.value.idle;
      if (!canBeIdle) expect(validIdle).toBe(false);
      if (!validIdle) expect(d.verdict.guests[0].state).toBe('active');
      for (const item of agent.evidence?.items ?? [])
        if (agent.state === 'unknown') expect(item.detail).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    }),
    { numRuns: 400 },
  );
});

test('with ON_AGENT_MISSING=cpu and a busy CPU (or none reported), an invalid status is never idle', async () => {
  await fc.assert(
    fc.asyncProperty(hostilePayload, fc.constantFrom(90, null), async (payload, cpu) => {
      const { d } = await verdictFor(payload, 'cpu', cpu);
      const parsed = safeParseStatus(payload);
      if (!(parsed.ok && parsed.value.idle)) expect(d.verdict.guests[0].state).toBe('active');
    }),
    { numRuns: 300 },
  );
});

test('a valid active status is never idle, whatever its details say', async () => {
  const reasons = fc.array(
    fc.constantFrom('user_input', 'gpu_active', 'process:game.exe', 'user_block', 'cpu_load', 'new_word'),
    {
      minLength: 1,
      maxLength: 5,
    },
  );
  await fc.assert(
    fc.asyncProperty(reasons, fc.nat({ max: 10 ** 6 }), async (rs, seq) => {
      const payload = Buffer.from(JSON.stringify(activeStatus([...new Set(rs)], { seq })));
      const { d } = await verdictFor(payload, 'cpu', 0);
      expect(d.verdict.guests[0].state).toBe('active');
    }),
  );
});

test('what status prints never carries a control character from a guest', async () => {
  await fc.assert(
    fc.asyncProperty(hostilePayload, fc.string({ unit: 'binary', maxLength: 40 }), async (payload, name) => {
      const agent = await agentSignal(payload);
      const d = decide(
        obs([vm(100, { ...agentIs(agent), name })], hostIdle),
        config([policy('vm:100')]),
        T0,
        null,
      );
      const report: Report = {
        node: 'pve',
        now: T0,
        configFile: null,
        problems: [],
        misconfigured: false,
        verdict: d.verdict,
        reasons: d.reasons,
        idleThresholdMinutes: 15,
        checkIntervalSeconds: 60,
        lastTickAt: null,
        sources: {},
        warnings: [],
      };
      expect(renderStatusText(report)).not.toMatch(
        /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/,
      );
    }),
    { numRuns: 200 },
  );
});
