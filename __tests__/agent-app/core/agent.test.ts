import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { createAgent, type AgentOptions } from '../../../agent-app/core/agent';
import type { BlockSetting } from '../../../agent-app/core/block';
import { createBlockStore } from '../../../agent-app/core/block-store';
import type { AgentCheck as Check, AgentEvidence } from '../../../agent-app/core/agent-check';
import type { CheckOutcome } from '../../../common/check';
import { accountFromPrevious } from '../../../agent-app/core/idle-accounting';
import { createStatusWriter, readPreviousStatus } from '../../../agent-app/core/status-writer';
import { SimulatedClock } from '../../../common/clock';
import { createLogger, memorySink } from '../../../common/log';
import { parseStatus, type Status } from '../../../protocol';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'agent-core-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A check whose next outcome the test sets. */
function scripted(name: string): Check & { next: CheckOutcome<AgentEvidence> } {
  const check = {
    name,
    reason: `${name}_active`,
    next: { state: 'idle', reason: null, detail: 'quiet' } as CheckOutcome<AgentEvidence>,
    run: async () => check.next,
  };
  return check;
}

function makeAgent(clock: SimulatedClock, checks: Check[], extra: Partial<AgentOptions> = {}) {
  return createAgent({
    info: { version: '2.0.0', os: 'linux', variant: 'daemon', hostname: 'guest' },
    intervalSeconds: 10,
    checkTimeoutMs: 5000,
    unknownIs: 'idle',
    checks,
    clock,
    logger: createLogger('test', { sink: memorySink() }),
    blockStore: createBlockStore(path.join(dir, 'state')),
    writer: createStatusWriter(path.join(dir, 'run', 'status.json')),
    ...extra,
  });
}

/** In-memory edges: the loop tests then run on simulated time alone (no real I/O to wait for). */
function inMemory(): Pick<AgentOptions, 'blockStore' | 'writer'> & { written: Status[] } {
  let block: BlockSetting | null = null;
  const written: Status[] = [];
  return {
    written,
    blockStore: { file: 'memory', read: async () => block, write: async (s) => void (block = s) },
    writer: { file: 'memory', write: async (s) => void written.push(s) },
  };
}

const onDisk = (): Status => parseStatus(readFileSync(path.join(dir, 'run', 'status.json')));

describe('agent', () => {
  it('writes starting, then evaluations every interval, with seq +1 and idle_seconds growing', async () => {
    const clock = new SimulatedClock();
    const cpu = scripted('cpu');
    const memory = inMemory();
    const agent = makeAgent(clock, [cpu], memory);
    const seen: Status[] = [];
    agent.onStatus((s) => seen.push(s));
    const running = agent.run({ maxTicks: 4 });
    await clock.advance(0);
    await clock.advance(10_000);
    cpu.next = { state: 'active', reason: 'cpu_load', detail: 'CPU 80% > 15%' };
    await clock.advance(10_000);
    cpu.next = { state: 'idle', reason: null, detail: 'quiet' };
    await clock.advance(10_000);
    expect(await running).toBe(4);
    expect(seen.map((s) => [s.seq, s.idle, s.idle_seconds, s.reason])).toEqual([
      [1, false, 0, 'starting'],
      [2, true, 0, null],
      [3, true, 10, null],
      [4, false, 0, 'cpu_load'],
      [5, true, 0, null],
    ]);
    expect(memory.written).toEqual(seen);
  });

  it('a block is reported at once, survives a new agent (restart) and ends by itself', async () => {
    const clock = new SimulatedClock();
    const agent = makeAgent(clock, [scripted('cpu')]);
    await agent.evaluate();
    const reply = await agent.setBlock({ for: '30m' }, 'tray');
    expect(reply).toEqual({
      success: true,
      message: `Sleep blocked until ${new Date(clock.now() + 1_800_000).toISOString()}`,
    });
    expect(agent.status).toMatchObject({
      idle: false,
      reason: 'user_block',
      block: { active: true, source: 'tray' },
    });
    expect(onDisk().reasons).toEqual(['user_block']);

    await clock.advance(600_000);
    const restarted = makeAgent(clock, [scripted('cpu')]);
    expect((await restarted.evaluate()).block.active).toBe(true);
    await clock.advance(1_200_000);
    expect(await restarted.evaluate()).toMatchObject({
      idle: true,
      idle_seconds: 0,
      block: { active: false },
    });
  });

  it('refuses a bad block request without touching the stored one', async () => {
    const agent = makeAgent(new SimulatedClock(), [scripted('cpu')]);
    expect(await agent.setBlock({ for: 'soon' }, 'cli')).toMatchObject({
      success: false,
      message: expect.stringMatching(/not a duration/),
    });
    expect(await createBlockStore(path.join(dir, 'state')).read()).toBeNull();
  });

  it('continues the idle streak across a restart only within the observation window', async () => {
    const clock = new SimulatedClock();
    const first = makeAgent(clock, [scripted('cpu')]);
    for (let i = 0; i < 31; i++) {
      await first.evaluate();
      await clock.advance(10_000);
    }
    expect(onDisk().idle_seconds).toBe(300);
    const restart = async () => {
      const previous = await readPreviousStatus(path.join(dir, 'run', 'status.json'));
      return makeAgent(clock, [scripted('cpu')], {
        initialSeq: previous!.seq,
        initialAccount: accountFromPrevious(previous, clock.now(), 27_000, null),
      });
    };
    const second = await restart();
    expect(await second.evaluate()).toMatchObject({ seq: 32, idle_seconds: 300 });
    await clock.advance(3_600_000); // stopped for an hour: nobody watched
    const third = await restart();
    expect((await third.evaluate()).idle_seconds).toBe(0);
  });

  it('keeps going when the status file cannot be written, and says so once', async () => {
    const sink = memorySink();
    const agent = makeAgent(new SimulatedClock(), [scripted('cpu')], {
      logger: createLogger('t', { sink }),
      writer: {
        file: '/nonexistent/x',
        write: async () => Promise.reject(new Error('EROFS: read-only file system')),
      },
    });
    await agent.evaluate();
    const status = await agent.evaluate();
    expect(status.seq).toBe(2);
    expect(sink.records.filter((r) => r.level === 'error')).toHaveLength(1);
  });

  it('answers a power command before acting, and reports a failure after the answer', async () => {
    const order: string[] = [];
    const agent = makeAgent(new SimulatedClock(), [], {
      powerActions: {
        precheck: async (action) => (action === 'shutdown' ? 'systemctl not found on PATH' : null),
        perform: async () => {
          order.push('perform');
          throw new Error('Failed to hibernate system via logind: Sleep verb "hibernate" not supported');
        },
      },
    });
    const replies: unknown[] = [];
    const reply = async (r: unknown) => {
      order.push('reply');
      replies.push(r);
    };
    expect(await agent.power('hibernate', reply)).toBe(1);
    expect(order).toEqual(['reply', 'perform']);
    expect(await agent.power('shutdown', reply)).toBe(1);
    expect(replies).toEqual([
      { success: true, message: 'Hibernation initiated' },
      { success: false, message: 'Cannot shutdown: systemctl not found on PATH' },
    ]);
  });

  it('stops the loop when aborted', async () => {
    const clock = new SimulatedClock();
    const agent = makeAgent(clock, [scripted('cpu')], inMemory());
    const controller = new AbortController();
    const running = agent.run({ signal: controller.signal });
    await clock.advance(25_000);
    controller.abort();
    expect(await running).toBe(3);
  });
});
