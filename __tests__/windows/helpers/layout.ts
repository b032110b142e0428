/**
 * Files in the run's Wine prefix as the Windows installer lays them out: the tray package under
 * C:\Program Files with node.exe standing in for the Electron binary (the CLI runs it in Node mode), the
 * agent's data under C:\ProgramData\ProxmoxSleep, and stand-ins for Windows tools in a folder of their own.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import { cDrive, winPath, wineRun } from './wine';

const repo = path.join(__dirname, '..', '..', '..');

/** C:\ProgramData\ProxmoxSleep (the default Windows paths: status.json, agent.json, state\, system\). */
export const dataDir = (...parts: string[]) => cDrive(wineRun(), 'ProgramData', 'ProxmoxSleep', ...parts);

/** Writes the agent's configuration where it looks by default (C:\ProgramData\ProxmoxSleep\agent.json). */
export function writeAgentConfig(config: object): void {
  mkdirSync(dataDir(), { recursive: true });
  writeFileSync(dataDir('agent.json'), JSON.stringify(config));
}

/** Removes what earlier tests left under C:\ProgramData\ProxmoxSleep. */
export function clearData(): void {
  rmSync(dataDir(), { recursive: true, force: true });
}

export interface TrayInstall {
  /** Unix path of the install folder. */
  dir: string;
  /** Windows path of resources\windows, where the installer puts proxmox-sleep-agent.cmd on PATH. */
  binDir: string;
}

/**
 * The tray package as installed (electron-builder's extraResources): `<app>\Proxmox Sleep Agent.exe`,
 * `resources\cli\*.js` (the bundled CLI, or `cliScript` in its place) and `resources\windows\*.cmd`.
 */
export function installTray(name = 'Proxmox Sleep Agent', cliScript?: string): TrayInstall {
  const run = wineRun();
  const dir = cDrive(run, 'Program Files', name);
  const resources = path.join(dir, 'resources');
  mkdirSync(path.join(resources, 'cli'), { recursive: true });
  mkdirSync(path.join(resources, 'windows'), { recursive: true });
  const exe = path.join(dir, 'Proxmox Sleep Agent.exe');
  if (!existsSync(exe)) copyFileSync(run.nodeExe, exe);
  for (const file of ['proxmox-sleep-agent.js', 'power-requests.js'])
    copyFileSync(cliScript ?? path.join(repo, 'dist', 'tray-cli', file), path.join(resources, 'cli', file));
  copyFileSync(
    path.join(repo, 'installer', 'windows', 'proxmox-sleep-agent.cmd'),
    path.join(resources, 'windows', 'proxmox-sleep-agent.cmd'),
  );
  return { dir, binDir: `C:\\Program Files\\${name}\\resources\\windows` };
}

/** A folder C:\<folder> of stand-in tools (see stand-in.js), each told what to print and how to exit. */
export function standIns(folder: string) {
  const run = wineRun();
  const dir = cDrive(run, folder);
  mkdirSync(dir, { recursive: true });
  return {
    /** Windows path of the folder, for the search path. */
    winDir: `C:\\${folder}`,
    add(tool: string, spec: { stdoutFile?: string; exitCode?: number; sleepMs?: number } = {}) {
      const exe = path.join(dir, `${tool}.exe`);
      if (!existsSync(exe)) copyFileSync(run.standInExe, exe);
      const stdoutFile = spec.stdoutFile === undefined ? undefined : winPath(spec.stdoutFile);
      writeFileSync(path.join(dir, `${tool}.json`), JSON.stringify({ ...spec, stdoutFile }));
      rmSync(path.join(dir, `${tool}.calls`), { force: true });
    },
    /** The argument lists the tool was started with, in order. */
    calls(tool: string): string[][] {
      const file = path.join(dir, `${tool}.calls`);
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as string[]);
    },
  };
}
