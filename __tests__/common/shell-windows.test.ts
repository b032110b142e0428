/**
 * The Windows shell seam's logic, run here with Linux programs (it starts programs directly, which works on
 * both); the Windows suite (npm run test:windows) runs it under Wine with Windows programs.
 */
import { commandMissing, createRunner } from '../../common/shell';
import { runDirect } from '../../common/shell-windows';

const run = (
  command: string,
  args: string[],
  options: Parameters<typeof runDirect>[2] = { timeoutMs: 5000 },
) => runDirect(command, args, options);

describe('starting a program directly (Windows)', () => {
  it('passes every argument literally: there is no shell to interpret them', async () => {
    const r = await run('printf', ['%s|', 'a b', '$(id)', '& del x', '"q"', '']);
    expect(r).toMatchObject({ exitCode: 0, stdout: 'a b|$(id)|& del x|"q"||', timedOut: false });
  });

  it('returns exit code, stdout and stderr, and feeds input', async () => {
    expect(await run('sh', ['-c', 'echo out; echo err >&2; exit 3'])).toMatchObject({
      exitCode: 3,
      stdout: 'out\n',
      stderr: 'err\n',
    });
    expect((await run('cat', [], { timeoutMs: 5000, input: 'hello' })).stdout).toBe('hello');
  });

  it('a program that does not exist is "command not found" (exit 127)', async () => {
    const r = await run('no-such-program-here', []);
    expect(r.exitCode).toBe(127);
    expect(commandMissing(r)).toBe(true);
  });

  it('ends a program past its timeout (taskkill, or the program itself where there is none)', async () => {
    const r = await run('sleep', ['10'], { timeoutMs: 200 });
    expect(r).toMatchObject({ timedOut: true, exitCode: null });
    expect(r.durationMs).toBeLessThan(5000);
  });

  it('stops reading at maxOutputBytes', async () => {
    const r = await run('yes', ['0123456789'], { timeoutMs: 5000, maxOutputBytes: 10_000 });
    expect(r.truncated).toBe(true);
    expect(r.stdoutBytes.length).toBe(10_000);
  });

  it('an abort signal ends the program', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const r = await run('sleep', ['10'], { timeoutMs: 5000, signal: controller.signal });
    expect(r.durationMs).toBeLessThan(5000);
    expect(r.exitCode).toBeNull();
  });
});

describe('createRunner on Windows', () => {
  const realPlatform = process.platform;
  afterEach(() => Object.defineProperty(process, 'platform', { value: realPlatform }));

  it('starts programs directly, without bash (which Windows lacks)', async () => {
    Object.defineProperty(process, 'platform', { value: 'win32' });
    const r = await createRunner({ timeoutMs: 5000 })('printf', ['%s', '$HOME `id`']);
    expect(r.stdout).toBe('$HOME `id`');
  });
});
