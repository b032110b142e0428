import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { AgentConfigSchema, loadAgentConfig, parseAgentConfig } from '../../../agent-app/core/config';
import { DEFAULT_PATHS } from '../../../agent-app/core/paths';
import { ConfigError } from '../../../common/errors';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'agent-config-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const problems = (value: unknown) => {
  try {
    parseAgentConfig(value, 'linux', '/etc/proxmox-sleep/agent.json');
  } catch (e) {
    return (e as ConfigError).problems.map((p) => `${p.key}: ${p.message}`);
  }
  return [];
};

describe('agent configuration', () => {
  it('works from an empty file, {} and a missing default file', async () => {
    const empty = path.join(dir, 'empty.json');
    writeFileSync(empty, '\n');
    const fromEmpty = (await loadAgentConfig({ file: empty, os: 'linux' })).config;
    expect(fromEmpty).toEqual(parseAgentConfig({}, 'linux'));
    expect(fromEmpty).toMatchObject({
      intervalSeconds: 10,
      statusFile: '/run/proxmox-sleep-agent/status.json',
      stateDir: '/var/lib/proxmox-sleep-agent',
      unknownIs: 'idle',
      checks: {
        input: { activeWithinSeconds: 60 },
        gpu: { thresholdPercent: 10 },
        cpu: { thresholdPercent: 15 },
        sessions: { kinds: ['ssh', 'tty'] },
      },
    });
  });

  it('uses the OS default paths (contract)', () => {
    expect(parseAgentConfig({}, 'windows').statusFile).toBe('C:\\ProgramData\\ProxmoxSleep\\status.json');
    expect(parseAgentConfig({}, 'macos').statusFile).toBe(
      '/Library/Application Support/ProxmoxSleep/status.json',
    );
    expect(DEFAULT_PATHS.linux.configFile).toBe('/etc/proxmox-sleep/agent.json');
  });

  it('names every bad field', () => {
    expect(
      problems({
        intervalSeconds: 0,
        checks: {
          gpu: { thresholdPercent: 'ten' },
          custom: [{ name: 'bad name', command: [] }],
          procesess: {},
        },
      }),
    ).toEqual([
      'intervalSeconds: Number must be greater than or equal to 1',
      'checks.gpu.thresholdPercent: Expected number, received string',
      'checks.custom[0].name: must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
      'checks.custom[0].command: Array must contain at least 1 element(s)',
      'checks.procesess: unknown key (see docs/agent.md for the keys of checks)',
    ]);
  });

  it('checks relations between fields', () => {
    expect(problems({ intervalSeconds: 30, checks: { input: { activeWithinSeconds: 20 } } })).toEqual([
      'checks.input.activeWithinSeconds: must be at least intervalSeconds (30); otherwise input between two evaluations can go unseen',
    ]);
    expect(
      problems({
        checks: {
          custom: [
            { name: 'a', command: ['x'] },
            { name: 'A', command: ['y'] },
          ],
        },
      }),
    ).toEqual(['checks.custom[1].name: "A" is used twice']);
  });

  it('reports unreadable JSON with its line, and a missing explicit file', async () => {
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{\n  "intervalSeconds": 10,\n  oops\n}\n');
    await expect(loadAgentConfig({ file: broken, os: 'linux' })).rejects.toMatchObject({
      problems: [
        expect.objectContaining({ file: broken, line: 3, message: expect.stringMatching(/^not valid JSON/) }),
      ],
    });
    await expect(loadAgentConfig({ file: path.join(dir, 'nope.json'), os: 'linux' })).rejects.toThrow(
      /ENOENT/,
    );
    writeFileSync(broken, '[1]');
    await expect(loadAgentConfig({ file: broken, os: 'linux' })).rejects.toThrow(/must be a JSON object/);
  });

  it('ships a default file that is valid and spells out the code defaults', () => {
    const shipped = JSON.parse(
      readFileSync(path.join(__dirname, '..', '..', '..', 'installer', 'agent', 'agent.json'), 'utf8'),
    );
    const defaults = AgentConfigSchema.parse({});
    expect(parseAgentConfig(shipped, 'linux')).toEqual(parseAgentConfig({}, 'linux'));
    expect(shipped).toEqual({
      ...defaults,
      statusFile: DEFAULT_PATHS.linux.statusFile,
      stateDir: DEFAULT_PATHS.linux.stateDir,
    });
  });
});
