import { existsSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { commandMissing, createRunner, which } from '../../common/shell';

const run = createRunner({ timeoutMs: 5000 });

describe('the shell seam', () => {
  it('passes every argument literally, never through shell parsing', async () => {
    const r = await run('printf', ['%s|', 'a b; rm -rf /', "it's", '$(id)', '`id`', '*']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe("a b; rm -rf /|it's|$(id)|`id`|*|");
  });

  it('returns exit code, stdout and stderr without throwing', async () => {
    const r = await run('sh', ['-c', 'echo out; echo err >&2; exit 3']);
    expect(r).toMatchObject({
      exitCode: 3,
      stdout: 'out\n',
      stderr: 'err\n',
      timedOut: false,
      truncated: false,
    });
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('feeds input on stdin', async () => {
    expect((await run('cat', [], { input: 'hello' })).stdout).toBe('hello');
  });

  it('kills a command that runs past its timeout, children included', async () => {
    const marker = path.join(mkdtempSync(path.join(tmpdir(), 'psm-shell-')), 'late');
    const r = await run('sh', ['-c', `sleep 3; touch ${marker}`], { timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(existsSync(marker)).toBe(false);
  });

  it('stops reading untrusted output at maxOutputBytes', async () => {
    const r = await run('sh', ['-c', 'yes 0123456789'], { maxOutputBytes: 10000 });
    expect(r.truncated).toBe(true);
    expect(r.stdoutBytes.length).toBe(10000);
  });

  it('recognises a command that does not exist', async () => {
    const r = await run('no-such-command-here', []);
    expect(commandMissing(r)).toBe(true);
    expect(await which('no-such-command-here')).toBeNull();
    expect(await which('sh')).toMatch(/\/sh$/);
  });

  it("never sources the user's shell start-up files", async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'psm-home-'));
    const marker = path.join(home, 'sourced');
    writeFileSync(path.join(home, '.bashrc'), `touch ${marker}\necho noisy >&2\n`);
    const r = await run('true', [], { env: { PATH: '/usr/bin:/bin', HOME: home } });
    expect(r.stderr).toBe('');
    expect(existsSync(marker)).toBe(false);
  });
});
