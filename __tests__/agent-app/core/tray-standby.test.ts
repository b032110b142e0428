/**
 * Tray and daemon on one computer: the daemon stands by while the tray's document is fresh and takes over
 * once it goes stale. Pure decision first, then the real daemon (`run`) against a status file a tray wrote.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { PreviousStatus } from '../../../agent-app/core/status-writer';
import { trayIsWriting } from '../../../agent-app/core/tray-standby';
import { parseStatus } from '../../../protocol';
import { agentCli } from '../../helpers/agent-cli';
import { idleStatus } from '../../helpers/status-samples';

const now = Date.UTC(2026, 10, 26, 3, 0, 0);
const previous = (over: Partial<PreviousStatus>): PreviousStatus => ({
  seq: 7,
  idle: true,
  idleSeconds: 0,
  writtenAt: now - 15_000,
  variant: 'tray',
  intervalSeconds: 10,
  ...over,
});

describe('trayIsWriting', () => {
  it('is true for a tray document at most two intervals plus 5 s old', () => {
    expect(trayIsWriting(previous({}), now)).toBe(true);
    expect(trayIsWriting(previous({ writtenAt: now - 25_000 }), now)).toBe(true);
  });

  it('is false once the tray stopped writing, for the daemon, and without a document', () => {
    expect(trayIsWriting(previous({ writtenAt: now - 25_001 }), now)).toBe(false);
    expect(trayIsWriting(previous({ variant: 'daemon' }), now)).toBe(false);
    expect(trayIsWriting(previous({ intervalSeconds: null }), now)).toBe(false);
    expect(trayIsWriting(null, now)).toBe(false);
  });

  it('is false for a document from the future (a clock set back)', () => {
    expect(trayIsWriting(previous({ writtenAt: now + 6_000 }), now)).toBe(false);
  });
});

describe('the daemon next to a tray', () => {
  let dir: string;
  let file: string;
  let args: string[];
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'agent-standby-'));
    file = path.join(dir, 'run', 'status.json');
    mkdirSync(path.dirname(file), { mode: 0o755 });
    writeFileSync(path.join(dir, 'agent.json'), JSON.stringify({ checks: { cpu: { enabled: false } } }));
    const config = path.join(dir, 'agent.json');
    args = ['--config', config, '--status-file', file, '--state-dir', path.join(dir, 'state')];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const trayDocument = (writtenAt: number) =>
    `${JSON.stringify(
      idleStatus({
        agent: { version: '2.0.0', os: 'linux', variant: 'tray', hostname: 'desk' },
        seq: 41,
        written_at: new Date(writtenAt).toISOString(),
        interval_seconds: 10,
      }),
    )}\n`;
  const run = () => agentCli([...args, 'run', '--max-ticks', '1'], { PATH: path.join(dir, 'bin') });

  it('leaves a fresh tray document alone and says it stands by', async () => {
    const tray = trayDocument(Date.now());
    writeFileSync(file, tray);
    const result = await run();
    expect(result.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(tray);
    expect(result.stderr).toContain(`the tray writes ${file}: standing by while it runs`);
  });

  it('writes over a stale tray document (the tray quit)', async () => {
    writeFileSync(file, trayDocument(Date.now() - 60_000));
    const result = await run();
    expect(result.code).toBe(0);
    expect(parseStatus(readFileSync(file))).toMatchObject({ agent: { variant: 'daemon' } });
    expect(result.stderr).not.toContain('standing by');
  });
});
