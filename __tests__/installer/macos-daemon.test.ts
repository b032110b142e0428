/**
 * The headless agent for macOS: the archive `npm run package:agent-macos` builds, unpacked, and its
 * install.sh run into a temporary ROOT. The LaunchDaemon plist it writes is read back by a real plist reader
 * (Python's plistlib, Debian package python3) and checked key by key; the program its ProgramArguments name
 * is started from that root (node standing in for the Mac's Node.js). launchd itself cannot run here.
 */
import { spawnSync } from 'child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { buildMacosArchive, MACOS_LIB } from '../../scripts/package/macos';
import { DEFAULT_PATHS } from '../../agent-app/core/paths';
import { parseStatus } from '../../protocol';

const repo = path.join(__dirname, '..', '..');
const version = (JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string })
  .version;
const LABEL = 'org.proxmox-sleep.agent.daemon';
const DATA = path.dirname(DEFAULT_PATHS.macos.statusFile);

let work: string;
let unpacked: string;
beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'macos-daemon-'));
  const built = await buildMacosArchive(repo, path.join(work, 'out'));
  expect(path.basename(built.archive)).toBe(`proxmox-sleep-agent-${version}-macos.tar.gz`);
  mkdirSync(path.join(work, 'unpacked'));
  const tar = spawnSync('tar', ['-xzf', built.archive, '-C', path.join(work, 'unpacked')]);
  expect(tar.status).toBe(0);
  unpacked = path.join(work, 'unpacked', `proxmox-sleep-agent-${version}-macos`);
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(work, 'root-'));
});

const at = (p: string) => path.join(root, p);
const uid = (user: string) => Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
function sh(script: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync('/bin/sh', [path.join(unpacked, script), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ROOT: root, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const install = (user: string, env?: NodeJS.ProcessEnv) =>
  sh('install.sh', ['--node', process.execPath, user], env);

interface LaunchDaemon {
  Label: string;
  ProgramArguments: string[];
  UserName: string;
  GroupName: string;
  RunAtLoad: boolean;
  KeepAlive: boolean;
  ThrottleInterval: number;
  StandardOutPath: string;
  StandardErrorPath: string;
  EnvironmentVariables: { PATH: string };
}

function readPlist(file: string): LaunchDaemon {
  const r = spawnSync(
    '/usr/bin/python3',
    ['-c', 'import json, plistlib, sys; print(json.dumps(plistlib.load(open(sys.argv[1], "rb"))))', file],
    { encoding: 'utf8' },
  );
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as LaunchDaemon;
}

describe('the archive', () => {
  it('holds the program, its licences, the wrapper and the scripts', () => {
    const js = readFileSync(path.join(unpacked, 'proxmox-sleep-agent.js'), 'utf8');
    expect(js.split('\n')[1]).toContain(`Licences: ${MACOS_LIB}/copyright`);
    expect(readFileSync(path.join(unpacked, 'copyright'), 'utf8')).toContain('Files: *');
    for (const script of ['install.sh', 'uninstall.sh', 'proxmox-sleep-agent'])
      expect(statSync(path.join(unpacked, script)).mode & 0o777).toBe(0o755);
  });
});

describe('install.sh', () => {
  it('writes a LaunchDaemon that runs `proxmox-sleep-agent run` at boot as the user, kept alive, logging under /Library/Logs', () => {
    const r = install('nobody');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const plistFile = at(`Library/LaunchDaemons/${LABEL}.plist`);
    expect(statSync(plistFile).mode & 0o777).toBe(0o644);
    expect(statSync(plistFile).uid).toBe(0);
    const plist = readPlist(plistFile);
    expect(plist).toEqual({
      Label: LABEL,
      ProgramArguments: [
        `${MACOS_LIB}/node`,
        '--jitless',
        '--max-semi-space-size=1',
        '--max-old-space-size=32',
        `${MACOS_LIB}/proxmox-sleep-agent.js`,
        'run',
      ],
      UserName: 'nobody',
      GroupName: 'nogroup',
      RunAtLoad: true,
      KeepAlive: true,
      ThrottleInterval: 30,
      ExitTimeOut: 20,
      Umask: 0o22,
      EnvironmentVariables: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin:/usr/local/bin:/opt/homebrew/bin' },
      StandardOutPath: '/Library/Logs/ProxmoxSleep/agent.log',
      StandardErrorPath: '/Library/Logs/ProxmoxSleep/agent.log',
    });
    // ioreg (input idle) is in /usr/sbin, pmset (assertions, sleep) in /usr/bin.
    expect(plist.EnvironmentVariables.PATH.split(':')).toEqual(
      expect.arrayContaining(['/usr/sbin', '/usr/bin']),
    );
    expect(readlinkSync(at(`${MACOS_LIB}/node`))).toBe(process.execPath);
    for (const folder of [DATA, `${DATA}/state`, '/Library/Logs/ProxmoxSleep']) {
      expect(statSync(at(folder)).uid).toBe(uid('nobody'));
      expect(statSync(at(folder)).mode & 0o777).toBe(0o755);
    }
  });

  it("installs a program that runs from the plist's arguments and from /usr/local/bin", () => {
    expect(install('root').code).toBe(0);
    const [node, ...flags] = readPlist(at(`Library/LaunchDaemons/${LABEL}.plist`)).ProgramArguments;
    const status = path.join(work, `status-${path.basename(root)}`, 'status.json');
    const config = ['--status-file', status, '--state-dir', path.join(path.dirname(status), 'state')];
    const run = spawnSync(
      at(node),
      [...flags.map((a) => (a.startsWith('/') ? at(a) : a)), ...config, '--max-ticks', '1'],
      {
        encoding: 'utf8',
        env: { PATH: '/usr/bin:/bin' },
      },
    );
    expect(run.status).toBe(0);
    expect(parseStatus(readFileSync(status))).toMatchObject({ agent: { variant: 'daemon', version } });
    const cli = at('usr/local/bin/proxmox-sleep-agent');
    expect(readlinkSync(cli)).toBe('../lib/proxmox-sleep-agent/proxmox-sleep-agent');
    expect(spawnSync(cli, ['--version'], { encoding: 'utf8' }).stdout.trim()).toBe(version);
  });

  it('runs again in place (an update)', () => {
    expect(install('nobody').code).toBe(0);
    expect(install('nobody').code).toBe(0);
    expect(readPlist(at(`Library/LaunchDaemons/${LABEL}.plist`)).UserName).toBe('nobody');
  });

  it("keeps the tray's proxmox-sleep-agent (its notify reaches the tray)", () => {
    const trayCli = '/Applications/Proxmox Sleep Agent.app/Contents/Resources/macos/proxmox-sleep-agent';
    mkdirSync(at('usr/local/bin'), { recursive: true });
    symlinkSync(trayCli, at('usr/local/bin/proxmox-sleep-agent'));
    const r = install('nobody');
    expect(r.code).toBe(0);
    expect(r.err).toContain('keeping');
    expect(readlinkSync(at('usr/local/bin/proxmox-sleep-agent'))).toBe(trayCli);
  });

  it("refuses a status folder the tray's setup gave to another user, naming that user", () => {
    mkdirSync(at(DATA), { recursive: true });
    spawnSync('chown', ['daemon', at(DATA)]);
    const r = install('nobody');
    expect(r.code).toBe(73);
    expect(r.err).toContain('belongs to daemon');
    expect(r.err).toContain('install the daemon for daemon');
    expect(existsSync(at(`Library/LaunchDaemons/${LABEL}.plist`))).toBe(false);
  });

  it('says how to get Node.js when there is none, and refuses an old one', () => {
    // Without --node and no node on PATH, only the Homebrew and official installers' places are looked at.
    const tools = path.join(work, `tools-${path.basename(root)}`);
    mkdirSync(tools);
    for (const tool of ['id', 'dirname']) symlinkSync(`/usr/bin/${tool}`, path.join(tools, tool));
    const none = sh('install.sh', ['nobody'], { PATH: tools });
    const fallback = ['/opt/homebrew/bin/node', '/usr/local/bin/node'].find((f) => existsSync(f));
    if (fallback) expect(readlinkSync(at(`${MACOS_LIB}/node`))).toBe(fallback);
    else {
      expect(none.code).toBe(69);
      expect(none.err).toContain("Node.js 18 or newer is needed and none was found: 'brew install node'");
    }
    const old = path.join(work, `old-node-${path.basename(root)}`);
    mkdirSync(old);
    spawnSync('sh', ['-c', `printf '#!/bin/sh\\necho 16\\n' > "${old}/node" && chmod 755 "${old}/node"`]);
    const r = sh('install.sh', ['--node', path.join(old, 'node'), 'nobody']);
    expect(r.code).toBe(69);
    expect(r.err).toContain('is Node.js 16; the agent needs 18 or newer');
  });

  it('refuses a missing user, an unknown user and a name that is not one', () => {
    expect(sh('install.sh', []).code).toBe(64);
    expect(install('no-such-user-here').code).toBe(67);
    expect(install('a b').code).toBe(64);
    expect(install('--bogus').code).toBe(64);
  });
});

describe('uninstall.sh', () => {
  it('removes the daemon and its link, keeps the status folder and the log unless --purge', () => {
    expect(install('nobody').code).toBe(0);
    const kept = sh('uninstall.sh', []);
    expect(kept.code).toBe(0);
    expect(existsSync(at(`Library/LaunchDaemons/${LABEL}.plist`))).toBe(false);
    expect(existsSync(at(MACOS_LIB))).toBe(false);
    expect(() => lstatSync(at('usr/local/bin/proxmox-sleep-agent'))).toThrow();
    expect(existsSync(at(`${DATA}/state`))).toBe(true);
    expect(sh('uninstall.sh', ['--purge']).code).toBe(0);
    expect(existsSync(at(DATA))).toBe(false);
    expect(existsSync(at('Library/Logs/ProxmoxSleep'))).toBe(false);
    expect(sh('uninstall.sh', ['--everything']).code).toBe(64);
  });
});

test('shellcheck finds nothing in the scripts', () => {
  const scripts = ['install.sh', 'uninstall.sh', 'proxmox-sleep-agent'].map((f) =>
    path.join(repo, 'installer', 'macos-daemon', f),
  );
  const r = spawnSync('shellcheck', ['-s', 'sh', ...scripts], { encoding: 'utf8' });
  expect(r.stdout).toBe('');
  expect(r.status).toBe(0);
});
