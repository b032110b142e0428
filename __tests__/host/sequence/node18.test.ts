/** The sleep sequence on Node 18 (Proxmox VE 8 ships it): hibernate and resume through the real CLI. */
import { NODE18 } from '../../helpers/node18';
import { createSequenceLab, type SequenceLab } from '../helpers/sequence-lab';

jest.setTimeout(30000);

let t: SequenceLab;
beforeAll(() => (t = createSequenceLab()));
afterAll(() => t.cleanup());

test('hibernate, status and resume run on Node 18', async () => {
  await t.lab.addVm(801, { agent: false, behaviour: { shutdownSeconds: 0.3 } });
  t.lab.addContainer(802, { behaviour: { shutdownSeconds: 0.3 } });
  const conf = t.config([
    'VM_IDS=801',
    'CONTAINER_IDS=802',
    'VM_801_TRANSPORT=none',
    'CONTAINER_802_TRANSPORT=none',
  ]);
  const down = await t.cli(['hibernate'], conf, NODE18);
  expect(down.stderr).not.toMatch(/ERROR|TypeError|is not a function/);
  expect(down.code).toBe(0);
  expect(t.records()).toEqual({ vm_801: 'shutdown', ct_802: 'shutdown' });
  const status = (await t.cli(['status'], conf, NODE18)).stdout;
  expect(status).toMatch(/Pending resumes: .*vm_801 \(shutdown\)/);
  expect(status).toMatch(/Pending resumes: .*ct_802 \(shutdown\)/);
  const up = await t.cli(['resume'], conf, NODE18);
  expect(up.code).toBe(0);
  expect(t.lab.guest(801)?.status).toBe('running');
  expect(t.lab.guest(802)?.status).toBe('running');
});
