/** node-powershell is mocked (PowerShell cannot be installed on these machines); the options it gets and
 * the session's lifecycle are what is tested. */
const mockShells: { options: unknown; scripts: string[]; dispose: jest.Mock }[] = [];
/** What the next invoke does (set by each test). */
let mockAnswer: (script: string) => Promise<{ raw: string }> = async () => ({ raw: '' });

jest.mock('node-powershell', () => ({
  PowerShell: jest.fn().mockImplementation((options: unknown) => {
    const shell = {
      options,
      scripts: [] as string[],
      dispose: jest.fn(async () => undefined),
      invoke: (script: string) => {
        shell.scripts.push(script);
        return mockAnswer(script);
      },
    };
    mockShells.push(shell);
    return shell;
  }),
}));

import { createPowerShellSession } from '../../../../agent-app/platform/windows/powershell-session';

beforeEach(() => (mockShells.length = 0));

class InvocationError extends Error {
  name = 'InvocationError';
}

describe('the PowerShell session', () => {
  it('starts powershell.exe once, without profile or prompts, and reuses it', async () => {
    const session = createPowerShellSession({ timeoutMs: 5000 });
    expect(mockShells).toHaveLength(0); // nothing starts before the first call
    mockAnswer = async (script) => ({ raw: `ran ${script}` });
    expect(await session.invoke('Write-Output 1')).toBe('ran Write-Output 1');
    expect(await session.invoke('Write-Output 2')).toBe('ran Write-Output 2');
    expect(mockShells).toHaveLength(1);
    expect(mockShells[0].options).toEqual({
      executableOptions: {
        '-NoLogo': true,
        '-NoProfile': true,
        '-NonInteractive': true,
        '-ExecutionPolicy': 'Bypass',
      },
      invocationTimeout: 5000,
      throwOnInvocationError: true,
    });
    expect(mockShells[0].scripts).toEqual(['Write-Output 1', 'Write-Output 2']);
    await session.close();
    expect(mockShells[0].dispose).toHaveBeenCalled();
  });

  it('keeps the shell after a script error, replaces it after a crash or timeout', async () => {
    const session = createPowerShellSession({ timeoutMs: 5000 });
    mockAnswer = async () => Promise.reject(new InvocationError('Invalid class'));
    await expect(session.invoke('bad')).rejects.toThrow('Invalid class');
    expect(mockShells[0].dispose).not.toHaveBeenCalled();
    mockAnswer = async () => Promise.reject(new Error('Shell process exited.'));
    await expect(session.invoke('x')).rejects.toThrow('Shell process exited.');
    expect(mockShells[0].dispose).toHaveBeenCalled();
    mockAnswer = async () => ({ raw: 'ok' });
    expect(await session.invoke('y')).toBe('ok');
    expect(mockShells).toHaveLength(2);
  });

  it('a shell that cannot start is reported, and tried again next time', async () => {
    let attempts = 0;
    const session = createPowerShellSession({
      timeoutMs: 1000,
      create: async () => {
        attempts++;
        if (attempts === 1) throw new Error('spawn powershell ENOENT');
        return { invoke: async () => ({ raw: 'second' }) as never, dispose: async () => undefined };
      },
    });
    await expect(session.invoke('x')).rejects.toThrow('cannot start PowerShell: spawn powershell ENOENT');
    expect(await session.invoke('x')).toBe('second');
  });
});
