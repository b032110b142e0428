/** The process list through systeminformation (Windows, macOS): an empty answer means it could not look. */
import { UnavailableError } from '../../../../common/errors';
import { createSystemInformationProcessProbe } from '../../../../agent-app/platform/shared/si-processes';

const processes = jest.fn();
jest.mock('systeminformation', () => ({ processes: () => processes() }));

it('gives the process names', async () => {
  processes.mockResolvedValue({ list: [{ name: 'steam.exe' }, { name: '' }, { name: 'node.exe' }] });
  expect(await createSystemInformationProcessProbe().list(new AbortController().signal)).toEqual([
    'steam.exe',
    'node.exe',
  ]);
});

it('an empty list (systeminformation could not ask PowerShell) is unavailable, not "nothing running"', async () => {
  processes.mockResolvedValue({ list: [] });
  await expect(
    createSystemInformationProcessProbe().list(new AbortController().signal),
  ).rejects.toBeInstanceOf(UnavailableError);
});
