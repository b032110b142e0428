/**
 * One scenario both Proxmox backends must agree on: a program started through the guest agent takes the
 * agent down with it (as a hibernation does). The program ran, so its end is unknown ("timeout"), never
 * "it was refused".
 */
import { GuestAgentError, type GuestAgent } from '../../../host/proxmox/types';
import type { FakePve } from './fake-pve';

export async function expectExecEndUnknownWhenAgentLeaves(pve: FakePve, agent: GuestAgent): Promise<void> {
  await pve.addVm(102, { name: 'leaving' });
  const running = agent
    .exec(102, ['/bin/sleep', '5'], { timeoutMs: 15000, maxOutputBytes: 100 })
    .catch((x: unknown) => x);
  await new Promise((r) => setTimeout(r, 1500));
  await pve.agents.get(102)?.stop();
  const e = await running;
  expect(e).toBeInstanceOf(GuestAgentError);
  expect(e).toMatchObject({
    code: 'timeout',
    message: expect.stringMatching(
      /^\/bin\/sleep started.*, then the guest agent went away before it finished/,
    ),
  });
}
