/** `--dry-run` is a global option (ARCHITECTURE §4): before the command it works as after it. */
import { createSequenceLab, type SequenceLab } from '../helpers/sequence-lab';

let t: SequenceLab;
beforeAll(() => (t = createSequenceLab()));
afterAll(() => t.cleanup());

test('proxmox-sleep --dry-run hibernate prints the plan of proxmox-sleep hibernate --dry-run and changes nothing', async () => {
  await t.lab.addVm(601, { agent: false });
  t.lab.addContainer(602);
  const conf = t.config([
    'VM_IDS=601',
    'CONTAINER_IDS=602',
    'VM_601_TRANSPORT=none',
    'CONTAINER_602_TRANSPORT=none',
  ]);
  const before = await t.cli(['--dry-run', 'hibernate'], conf);
  const after = await t.cli(['hibernate', '--dry-run'], conf);
  expect(before.code).toBe(0);
  expect(before.stdout).toMatch(/^Pre-sleep plan/);
  expect(before.stdout).toBe(after.stdout);
  const json = await t.cli(['--json', '--dry-run', 'resume'], conf);
  expect(JSON.parse(json.stdout)).toMatchObject({ resume: [], drop: [] });
  expect(t.lab.events()).toEqual([]);
  expect(t.records()).toEqual({});
});

test('a command without --dry-run refuses it with a usage error, wherever it is written', async () => {
  const conf = t.config(['VM_IDS=601', 'VM_601_TRANSPORT=none']);
  for (const args of [
    ['--dry-run', 'agent', '601', 'shutdown'],
    ['agent', '601', 'shutdown', '--dry-run'],
  ]) {
    const run = await t.cli(args, conf);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/--dry-run does not apply to 'agent'/);
  }
  expect(t.lab.events()).toEqual([]);
});
