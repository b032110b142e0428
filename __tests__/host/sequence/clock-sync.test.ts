/** After a resume from hibernation: guest-set-time with socket access, else the guest OS's own resync. */
import { SimulatedClock } from '../../../common/clock';
import { syncGuestClock } from '../../../host/sequence/clock-sync';
import { GuestAgentError, type GuestAgent } from '../../../host/proxmox/types';
import { memoryOsCache } from '../../../host/guest';

function agent(os: string | null, withSetTime: boolean, calls: unknown[]): GuestAgent {
  const a: GuestAgent = {
    access: withSetTime ? 'socket' : 'pvesh',
    command: async (_vmid, name) => {
      if (os === null) throw new GuestAgentError('agent_down', 'QEMU guest agent is not running');
      return name === 'get-osinfo' ? { id: os } : {};
    },
    readFile: async () => Buffer.alloc(0),
    exec: async (_vmid, argv) => {
      calls.push(argv);
      return { exitCode: 0, signal: null, stdout: Buffer.alloc(0), stderr: '', truncated: false };
    },
    suspendDisk: async () => 'sent',
  };
  if (withSetTime) a.setTime = async (_vmid, epochMs) => void calls.push(['set-time', epochMs]);
  return a;
}

test('socket access sets the time directly', async () => {
  const clock = new SimulatedClock();
  const calls: unknown[] = [];
  const r = await syncGuestClock(100, {
    agent: agent('mswindows', true, calls),
    clock,
    osCache: memoryOsCache(),
    waitS: 60,
  });
  expect(r).toEqual({ ok: true, detail: 'clock set (guest-set-time)' });
  expect(calls).toEqual([['set-time', clock.now()]]);
});

test('otherwise the OS re-reads its clock: w32tm on Windows, hwclock on Linux; macOS is left alone', async () => {
  const calls: unknown[] = [];
  const clock = new SimulatedClock();
  const cache = memoryOsCache();
  expect(
    await syncGuestClock(100, { agent: agent('mswindows', false, calls), clock, osCache: cache, waitS: 60 }),
  ).toMatchObject({ ok: true });
  expect(
    await syncGuestClock(101, { agent: agent('debian', false, calls), clock, osCache: cache, waitS: 60 }),
  ).toMatchObject({ ok: true });
  expect(
    await syncGuestClock(102, { agent: agent('macOS', false, calls), clock, osCache: cache, waitS: 60 }),
  ).toEqual({ ok: true, detail: 'clock left to macOS (network time)' });
  expect(calls).toEqual([
    ['w32tm', '/resync', '/force'],
    ['hwclock', '--hctosys'],
  ]);
  expect(cache.entries()).toEqual({ 'vm:100': 'windows', 'vm:101': 'linux', 'vm:102': 'macos' });
});

test('an agent that does not come up within the wait: reported, never thrown', async () => {
  const clock = new SimulatedClock();
  const result = syncGuestClock(100, {
    agent: agent(null, true, []),
    clock,
    osCache: memoryOsCache(),
    waitS: 30,
  });
  await clock.advance(31000);
  expect(await result).toEqual({
    ok: false,
    detail: 'clock not synced: the QEMU guest agent did not answer within 30 s',
  });
});
