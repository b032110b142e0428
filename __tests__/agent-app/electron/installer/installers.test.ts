/**
 * The tray installers' own files, with the real tools where they run here: makensis compiles the NSIS
 * hooks, the .deb scripts run into a DPKG_ROOT (with systemd-tmpfiles), the CLI wrappers start the real
 * bundled CLI, desktop-file-validate checks the autostart entry. The PowerShell scripts cannot run here;
 * what they must agree on with the code (names, folders, SIDs) is checked.
 */
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { $ } from 'zx';
import { DEFAULT_PATHS } from '../../../../agent-app/core/paths';
import { WRAPPER_RESOURCE } from '../../../../agent-app/electron/main/appimage-cli';
import { renderAutostartEntry } from '../../../../agent-app/electron/main/xdg-autostart';
import { TASK_NAME } from '../../../../agent-app/platform/windows/power-requests-reader';
import { powerRequestsFile } from '../../../../agent-app/platform/windows/power-requests-snapshot';
import { buildTrayCli } from '../../../../scripts/tray/bundles';

const repo = path.join(__dirname, '..', '..', '..', '..');
const installer = (...p: string[]) => path.join(repo, 'installer', ...p);
const text = (file: string) => readFileSync(file, 'utf8');

interface BuilderConfig {
  productName: string;
  extraMetadata: { main: string };
  files: string[];
  extraResources: { from: string; to: string; filter: string[] }[];
  win: { icon: string; extraResources: { from: string; to: string; filter: string[] }[] };
  nsis: { include: string; perMachine: boolean; installerIcon: string };
  mac: { icon: string; extendInfo: { LSUIElement: boolean }; extraResources: { from: string; to: string }[] };
  linux: {
    executableName: string;
    icon: string;
    extraResources: { from: string; to: string; filter: string[] }[];
  };
  deb: { afterInstall: string; afterRemove: string };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { load } = require('js-yaml') as { load(text: string): unknown };
const config = load(text(path.join(repo, 'electron-builder.yml'))) as BuilderConfig;

let dir: string;
let cli: string;
let powerRequestsCli: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tray-installers-'));
  ({ cli, powerRequests: powerRequestsCli } = await buildTrayCli(path.join(dir, 'cli')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** electron-builder's macro substitution for deb scripts (FpmTarget writeConfigFile). */
function renderDebScript(file: string): string {
  const values: Record<string, string> = {
    sanitizedProductName: config.productName,
    executable: config.linux.executableName,
  };
  return text(file).replace(/\${([a-zA-Z]+)}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`${file}: electron-builder has no macro \${${name}}`);
    return values[name];
  });
}

describe('electron-builder.yml', () => {
  it('starts the tray from its main module and ships what it loads', () => {
    expect(config.extraMetadata.main).toBe('dist/agent-app/electron/main/index.js');
    expect(existsSync(path.join(repo, 'agent-app', 'electron', 'main', 'index.ts'))).toBe(true);
    expect(config.files).toEqual(
      expect.arrayContaining(['dist/agent-app/**', 'assets/tray/**', 'dist/package.json']),
    );
    expect(config.extraResources).toEqual([{ from: 'dist/tray-cli', to: 'cli', filter: ['*.js'] }]);
  });

  it('every file it names exists', () => {
    for (const file of [
      config.win.icon,
      config.nsis.include,
      config.nsis.installerIcon,
      config.mac.icon,
      config.deb.afterInstall,
      config.deb.afterRemove,
    ])
      expect(existsSync(path.join(repo, file))).toBe(true);
    expect(statSync(path.join(repo, config.linux.icon)).isDirectory()).toBe(true);
    expect(config.mac.extendInfo.LSUIElement).toBe(true);
    expect(config.nsis.perMachine).toBe(true);
  });

  it('the deb scripts use only the macros electron-builder defines', () => {
    expect(() => renderDebScript(path.join(repo, config.deb.afterInstall))).not.toThrow();
    expect(() => renderDebScript(path.join(repo, config.deb.afterRemove))).not.toThrow();
  });
});

describe('Windows', () => {
  it('makensis compiles the installer hooks (install, uninstall, init)', async () => {
    const nsi = path.join(dir, 'hooks.nsi');
    const harness = (include: string) =>
      [
        'Unicode true',
        'Name "Proxmox Sleep Agent hooks"',
        `OutFile "${path.join(dir, 'hooks.exe')}"`,
        'RequestExecutionLevel admin',
        'InstallDir "$PROGRAMFILES64\\Proxmox Sleep Agent"',
        `!include "${include}"`,
        'Function .onInit',
        '  !insertmacro customInit',
        'FunctionEnd',
        'Section',
        '  !insertmacro customInstall',
        '  WriteUninstaller "$INSTDIR\\uninstall.exe"',
        'SectionEnd',
        'Function un.onInit',
        '  !insertmacro customUnInit',
        'FunctionEnd',
        'Section "Uninstall"',
        '  !insertmacro customUnInstall',
        'SectionEnd',
        '',
      ].join('\n');
    writeFileSync(nsi, harness(path.join(repo, config.nsis.include)));
    const ok = await $`makensis -WX -V2 ${nsi}`.nothrow().quiet();
    expect(`${ok.stdout}${ok.stderr}`.trim()).toBe('');
    expect(ok.exitCode).toBe(0);
    // the check is real: a broken hook file is refused
    const broken = path.join(dir, 'broken.nsh');
    writeFileSync(broken, text(path.join(repo, config.nsis.include)).replace('${EndIf}', ''));
    writeFileSync(nsi, harness(broken));
    expect((await $`makensis -WX -V2 ${nsi}`.nothrow().quiet()).exitCode).not.toBe(0);
  });

  it('the hooks run the PowerShell scripts the installer ships, and stop the SYSTEM task first', () => {
    const nsh = text(installer('windows', 'installer.nsh'));
    expect(nsh).toContain('$INSTDIR\\resources\\windows\\${SCRIPT}');
    expect(nsh).toContain('!insertmacro ProxmoxSleepPowerShell "setup-system.ps1"');
    expect(nsh).toContain('!insertmacro ProxmoxSleepPowerShell "remove-system.ps1"');
    expect(nsh).toContain(`/End /TN "${TASK_NAME}"`);
    expect(config.win.extraResources).toEqual([
      { from: 'installer/windows', to: 'windows', filter: ['*.cmd', '*.ps1'] },
    ]);
  });

  it('setup-system.ps1 agrees with the code: folders, task name, what the task runs, SIDs', () => {
    const ps = text(installer('windows', 'setup-system.ps1'));
    expect(DEFAULT_PATHS.windows.statusFile).toBe('C:\\ProgramData\\ProxmoxSleep\\status.json');
    expect(DEFAULT_PATHS.windows.stateDir).toBe('C:\\ProgramData\\ProxmoxSleep\\state');
    expect(path.win32.basename(path.win32.dirname(powerRequestsFile('C:\\x\\status.json')))).toBe('system');
    expect(ps).toContain("$data = Join-Path $env:ProgramData 'ProxmoxSleep'");
    expect(ps).toContain("$state = Join-Path $data 'state'");
    expect(ps).toContain("$system = Join-Path $data 'system'");
    const [taskPath, taskName] = [
      TASK_NAME.slice(0, TASK_NAME.lastIndexOf('\\') + 1),
      TASK_NAME.split('\\').pop(),
    ];
    expect(ps).toContain(`-TaskPath '${taskPath}' -TaskName '${taskName}'`);
    expect(ps).toContain('power-requests"');
    expect(ps).toContain("New-ScheduledTaskPrincipal -UserId 'SYSTEM'");
    // Users may write files in the status folders but only read the SYSTEM task's folder
    expect(ps).toContain("'*S-1-5-32-545:(RX,WD,AD)', '*S-1-5-32-545:(OI)(IO)M'");
    expect(ps).toContain("Set-FolderRights $system ($admin + @('*S-1-5-32-545:(OI)(CI)RX'))");
    expect(text(installer('windows', 'remove-system.ps1'))).toContain(
      `Unregister-ScheduledTask -TaskPath '${taskPath}' -TaskName '${taskName}'`,
    );
  });

  it('the CLI wrapper is a CRLF batch file pointing at the app and the bundled CLI', () => {
    const cmd = text(installer('windows', 'proxmox-sleep-agent.cmd'));
    expect(cmd.split('\r\n').length).toBeGreaterThan(5);
    expect(cmd.replace(/\r\n/g, '')).not.toContain('\n');
    expect(cmd).toContain('set "ELECTRON_RUN_AS_NODE=1"');
    expect(cmd).toContain(
      `"%~dp0..\\..\\${config.productName}.exe" "%~dp0..\\${config.extraResources[0].to}\\%script%" %*`,
    );
    expect(cmd).toContain(`set "script=${path.basename(cli)}"`);
    expect(cmd).toContain(`if /i "%~1"=="power-requests" set "script=${path.basename(powerRequestsCli)}"`);
  });
});

describe("the SYSTEM task's own small CLI (power-requests.js)", () => {
  it('carries no agent core, protocol schemas or probes', () => {
    const small = text(powerRequestsCli);
    expect(small).toContain('// agent-app/platform/windows/power-requests-writer.ts');
    expect(small).toContain('// agent-app/platform/windows/powercfg-requests.ts');
    for (const heavy of [
      '// agent-app/core/agent.ts',
      '// protocol/status.ts',
      '// agent-app/setup/compose.ts',
    ])
      expect(small).not.toContain(heavy);
    expect(statSync(powerRequestsCli).size * 2).toBeLessThan(statSync(cli).size);
  });

  it('runs as the task does, with the leading "power-requests" from the wrapper', async () => {
    const base = mkdtempSync(path.join(dir, 'task-'));
    const bin = path.join(base, 'bin');
    mkdirSync(bin);
    copyFileSync(
      path.join(repo, '__tests__', 'fixtures', 'agent', 'powercfg', 'autowall-mpv.txt'),
      path.join(base, 'captured.txt'),
    );
    writeFileSync(path.join(bin, 'powercfg'), `#!/bin/sh\ncat '${path.join(base, 'captured.txt')}'\n`);
    chmodSync(path.join(bin, 'powercfg'), 0o755);
    writeFileSync(
      path.join(base, 'agent.json'),
      JSON.stringify({ statusFile: path.join(base, 'run', 'status.json') }),
    );
    const env = {
      PATH: `${bin}:${process.env.PATH}`,
      PROXMOX_SLEEP_AGENT_CONFIG: path.join(base, 'agent.json'),
    };
    const result = await $({ env })`${process.execPath} ${powerRequestsCli} power-requests --once`
      .nothrow()
      .quiet();
    expect(result.exitCode).toBe(0);
    const written = JSON.parse(text(path.join(base, 'run', 'system', 'power-requests.json'))) as {
      requests: unknown[];
    };
    expect(written.requests).toEqual([
      { who: 'mpv.exe', why: '', kind: 'DISPLAY' },
      { who: 'mpv.exe', why: '', kind: 'SYSTEM' },
    ]);
    expect(
      (await $({ env })`${process.execPath} ${powerRequestsCli} --interval 0`.nothrow().quiet()).exitCode,
    ).toBe(64);
  });
});

describe('Linux (deb)', () => {
  const app = () => `/opt/${config.productName}`;
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(path.join(dir, 'root-'));
    const resources = path.join(root, app(), 'resources', 'linux');
    mkdirSync(resources, { recursive: true });
    for (const f of ['proxmox-sleep-agent', 'setup-status-dir.sh', 'proxmox-sleep-agent-autostart.desktop'])
      copyFileSync(installer('linux-desktop', f), path.join(resources, f));
    chmodSync(path.join(resources, 'setup-status-dir.sh'), 0o755);
    writeFileSync(path.join(root, app(), 'chrome-sandbox'), '');
    mkdirSync(path.join(root, 'usr', 'bin'), { recursive: true });
    mkdirSync(path.join(root, 'etc'), { recursive: true });
    // systemd-tmpfiles --root resolves users in the root's own passwd
    copyFileSync('/etc/passwd', path.join(root, 'etc', 'passwd'));
    copyFileSync('/etc/group', path.join(root, 'etc', 'group'));
  });

  async function runScript(script: string, env: Record<string, string>) {
    const file = path.join(root, `${path.basename(script)}.rendered`);
    writeFileSync(file, renderDebScript(installer('linux-desktop', script)));
    return $({ env: { PATH: process.env.PATH, DPKG_ROOT: root, ...env } })`bash ${file}`.nothrow().quiet();
  }

  it('after-install: commands, autostart for everyone, status folders for the installing user', async () => {
    const result = await runScript('after-install.sh', { SUDO_USER: 'nobody' });
    expect(result.exitCode).toBe(0);
    expect(readlinkSync(path.join(root, 'usr', 'bin', 'proxmox-sleep-tray'))).toBe(
      `${app()}/proxmox-sleep-tray`,
    );
    expect(readlinkSync(path.join(root, 'usr', 'bin', 'proxmox-sleep-agent'))).toBe(
      `${app()}/resources/linux/proxmox-sleep-agent`,
    );
    expect(text(path.join(root, 'etc', 'xdg', 'autostart', 'proxmox-sleep-agent.desktop'))).toBe(
      text(installer('linux-desktop', 'proxmox-sleep-agent-autostart.desktop')),
    );
    const group = (await $`id -gn nobody`.quiet()).stdout.trim();
    expect(text(path.join(root, 'etc', 'tmpfiles.d', 'proxmox-sleep-agent.conf'))).toContain(
      `d /run/proxmox-sleep-agent 0755 nobody ${group} -`,
    );
    const nobody = Number((await $`id -u nobody`.quiet()).stdout.trim());
    for (const sub of ['run/proxmox-sleep-agent', 'var/lib/proxmox-sleep-agent']) {
      const stat = statSync(path.join(root, sub));
      expect(stat.uid).toBe(nobody);
      expect(stat.mode & 0o777).toBe(0o755);
    }
  });

  it('after-install without a known user explains the one command to run', async () => {
    const result = await runScript('after-install.sh', {});
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(`sudo '${app()}/resources/linux/setup-status-dir.sh' YOUR-USER-NAME`);
    expect(existsSync(path.join(root, 'etc', 'tmpfiles.d'))).toBe(false);
  });

  it('keeps a proxmox-sleep-agent it does not own (the daemon package)', async () => {
    writeFileSync(path.join(root, 'usr', 'bin', 'proxmox-sleep-agent'), '#!/bin/sh\n');
    const result = await runScript('after-install.sh', {});
    expect(lstatSync(path.join(root, 'usr', 'bin', 'proxmox-sleep-agent')).isSymbolicLink()).toBe(false);
    expect(result.stderr).toContain('keeping the existing');
    await runScript('after-remove.sh', {});
    expect(existsSync(path.join(root, 'usr', 'bin', 'proxmox-sleep-agent'))).toBe(true);
  });

  it('after-remove takes back its links and the autostart entry, keeps the state', async () => {
    await runScript('after-install.sh', { SUDO_USER: 'nobody' });
    const result = await runScript('after-remove.sh', {});
    expect(result.exitCode).toBe(0);
    expect(existsSync(path.join(root, 'usr', 'bin', 'proxmox-sleep-tray'))).toBe(false);
    expect(existsSync(path.join(root, 'usr', 'bin', 'proxmox-sleep-agent'))).toBe(false);
    expect(existsSync(path.join(root, 'etc', 'xdg', 'autostart', 'proxmox-sleep-agent.desktop'))).toBe(false);
    expect(existsSync(path.join(root, 'etc', 'tmpfiles.d', 'proxmox-sleep-agent.conf'))).toBe(true);
  });

  it('setup-status-dir.sh refuses a missing or unknown user', async () => {
    const script = installer('linux-desktop', 'setup-status-dir.sh');
    expect(
      (await $({ env: { PATH: process.env.PATH, DPKG_ROOT: root } })`sh ${script}`.nothrow().quiet())
        .exitCode,
    ).toBe(64);
    const unknown = await $({ env: { PATH: process.env.PATH, DPKG_ROOT: root } })`sh ${script} no-such-user-x`
      .nothrow()
      .quiet();
    expect(unknown.exitCode).toBe(67);
    expect(unknown.stderr).toContain('no such user: no-such-user-x');
  });

  it('the system autostart entry is what the tray writes for a user, and valid', async () => {
    const file = installer('linux-desktop', 'proxmox-sleep-agent-autostart.desktop');
    expect(text(file)).toBe(renderAutostartEntry({ exec: [config.linux.executableName], hidden: false }));
    const validated = await $`desktop-file-validate ${file}`.nothrow().quiet();
    expect(`${validated.stdout}${validated.stderr}`.trim()).toBe('');
    expect(config.linux.extraResources).toEqual([
      {
        from: 'installer/linux-desktop',
        to: 'linux',
        // the AppImage's command (appimage-cli.ts copies it out at every start)
        filter: ['proxmox-sleep-agent', 'proxmox-sleep-agent-appimage', 'setup-status-dir.sh', '*.desktop'],
      },
    ]);
    expect(WRAPPER_RESOURCE).toBe(path.join('linux', 'proxmox-sleep-agent-appimage'));
  });
});

describe('the CLI wrappers start the bundled CLI with Electron in Node mode', () => {
  /** The stand-in's output lines with `arg: <path>` made absolute and normalised. */
  const resolved = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .map((line) => (line.startsWith('arg: /') ? `arg: ${path.resolve(line.slice(5))}` : line));

  /** An app layout with `exe` at `exePath`, the wrapper in its resources folder and the CLI bundle. */
  function layout(base: string, wrapper: string, wrapperDir: string, exePath: string, exe: 'node' | 'echo') {
    const wrapperFile = path.join(base, wrapperDir, 'proxmox-sleep-agent');
    mkdirSync(path.dirname(wrapperFile), { recursive: true });
    copyFileSync(wrapper, wrapperFile);
    chmodSync(wrapperFile, 0o755);
    const cliFile = path.join(path.dirname(wrapperFile), '..', 'cli', 'proxmox-sleep-agent.js');
    mkdirSync(path.dirname(cliFile), { recursive: true });
    copyFileSync(cli, cliFile);
    const exeFile = path.join(base, exePath);
    mkdirSync(path.dirname(exeFile), { recursive: true });
    if (exe === 'node') symlinkSync(process.execPath, exeFile);
    else {
      writeFileSync(
        exeFile,
        '#!/bin/sh\necho "ELECTRON_RUN_AS_NODE=$ELECTRON_RUN_AS_NODE"\nfor a in "$@"; do echo "arg: $a"; done\n',
      );
      chmodSync(exeFile, 0o755);
    }
    // called through a link on PATH, as /usr/bin/proxmox-sleep-agent or /usr/local/bin/proxmox-sleep-agent
    const link = path.join(base, 'bin', 'proxmox-sleep-agent');
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(wrapperFile, link);
    return { link, cliFile };
  }

  it('Linux: through the /usr/bin link, from the app folder', async () => {
    const base = mkdtempSync(path.join(dir, 'linux-'));
    const { link, cliFile } = layout(
      base,
      installer('linux-desktop', 'proxmox-sleep-agent'),
      'opt/Proxmox Sleep Agent/resources/linux',
      'opt/Proxmox Sleep Agent/proxmox-sleep-tray',
      'echo',
    );
    const shown = await $`${link} status --json`.quiet();
    expect(resolved(shown.stdout)).toEqual([
      'ELECTRON_RUN_AS_NODE=1',
      `arg: ${path.join(base, 'opt/Proxmox Sleep Agent/resources/cli/proxmox-sleep-agent.js')}`,
      'arg: status',
      'arg: --json',
    ]);
    expect(existsSync(cliFile)).toBe(true);
  });

  it('Linux: the real CLI answers (node standing in for Electron in Node mode)', async () => {
    const base = mkdtempSync(path.join(dir, 'linux-node-'));
    const { link } = layout(
      base,
      installer('linux-desktop', 'proxmox-sleep-agent'),
      'opt/app/resources/linux',
      'opt/app/proxmox-sleep-tray',
      'node',
    );
    expect((await $`${link} --version`.quiet()).stdout.trim()).toBe(
      JSON.parse(text(path.join(repo, 'package.json'))).version,
    );
    const help = await $`${link} --help`.quiet();
    expect(help.stdout).toContain('power-requests [options]');
  });

  it('macOS: from Contents/Resources/macos to Contents/MacOS', async () => {
    const base = mkdtempSync(path.join(dir, 'mac-'));
    const appDir = 'Applications/Proxmox Sleep Agent.app/Contents';
    const { link } = layout(
      base,
      installer('macos', 'proxmox-sleep-agent'),
      `${appDir}/Resources/macos`,
      `${appDir}/MacOS/Proxmox Sleep Agent`,
      'echo',
    );
    const shown = await $`${link} block --for 1h`.quiet();
    expect(resolved(shown.stdout)).toEqual([
      'ELECTRON_RUN_AS_NODE=1',
      `arg: ${path.join(base, appDir, 'Resources/cli/proxmox-sleep-agent.js')}`,
      'arg: block',
      'arg: --for',
      'arg: 1h',
    ]);
    expect(config.mac.extraResources).toEqual([{ from: 'installer/macos', to: 'macos' }]);
  });
});

describe('macOS setup-status-dir.sh', () => {
  it('gives the status folders to the user and links the CLI (into ROOT)', async () => {
    const root = mkdtempSync(path.join(dir, 'mac-root-'));
    const result = await $({
      env: { PATH: process.env.PATH, ROOT: root },
    })`sh ${installer('macos', 'setup-status-dir.sh')} nobody`
      .nothrow()
      .quiet();
    expect(result.exitCode).toBe(0);
    const data = path.join(root, 'Library', 'Application Support', 'ProxmoxSleep');
    expect(DEFAULT_PATHS.macos.statusFile).toBe('/Library/Application Support/ProxmoxSleep/status.json');
    const nobody = Number((await $`id -u nobody`.quiet()).stdout.trim());
    for (const folder of [data, path.join(data, 'state')]) {
      expect(statSync(folder).uid).toBe(nobody);
      expect(statSync(folder).mode & 0o777).toBe(0o755);
    }
    expect(readlinkSync(path.join(root, 'usr', 'local', 'bin', 'proxmox-sleep-agent'))).toBe(
      path.join(repo, 'installer', 'macos', 'proxmox-sleep-agent'),
    );
  });
});
