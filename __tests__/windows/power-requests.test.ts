/**
 * The SYSTEM task's path on Windows: the task's exact command line (setup-system.ps1) runs the tray
 * package's small power-requests CLI, which reads `powercfg /requests` (a stand-in powercfg.exe printing
 * real captured output with Windows line endings) and writes the snapshot; the tray's composition reads it
 * into its status. Then the same without powercfg, and the tray's GPU probe without PowerShell: unavailable,
 * never activity.
 */
import { readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { parseSnapshot } from '../../agent-app/platform/windows/power-requests-snapshot';
import { parseStatus } from '../../protocol';
import { agentFixture, crlf } from '../helpers/agent-fixtures';
import { clearData, dataDir, installTray, standIns, writeAgentConfig } from './helpers/layout';
import { cDrive, runWindowsNode, wineRun } from './helpers/wine';

const helpers = path.join(__dirname, 'helpers');
const snapshotFile = () => dataDir('system', 'power-requests.json');

/** The scheduled task's action: cmd.exe /d /c ""<app>\resources\windows\proxmox-sleep-agent.cmd" power-requests". */
async function runTask(searchPath: string[]) {
  const install = installTray();
  const cmd = `${install.binDir}\\proxmox-sleep-agent.cmd`;
  return runWindowsNode(
    path.join(helpers, 'run-verbatim.js'),
    ['/d', '/c', `""${cmd}" power-requests --once"`],
    {
      searchPath,
    },
  );
}

/** One evaluation by the tray's composition; its document and its log. */
const trayEvaluation = async () => {
  const r = await runWindowsNode(path.join(helpers, 'tray-main.js'), []);
  expect(r.stderr).not.toMatch(/TypeError|ReferenceError/);
  expect(r.code).toBe(0);
  return { status: parseStatus(r.stdout), log: r.stderr };
};

beforeEach(() => {
  clearData();
  writeAgentConfig({ checks: { cpu: { enabled: false }, network: { enabled: false } } });
});

it('the task writes what powercfg said, and the tray counts it as a power request', async () => {
  const tools = standIns('PowercfgStandIn');
  const captured = cDrive(wineRun(), 'powercfg-requests.txt');
  writeFileSync(captured, crlf(agentFixture('powercfg', 'autowall-mpv.txt')));
  tools.add('powercfg', { stdoutFile: captured });
  const task = await runTask([tools.winDir]);
  expect(task.stdout).toContain('exit 0');
  expect(tools.calls('powercfg')).toEqual([['/requests']]);
  const snapshot = parseSnapshot(readFileSync(snapshotFile()));
  expect(snapshot).toMatchObject({
    error: null,
    source: 'powercfg',
    requests: [
      { who: 'mpv.exe', why: '', kind: 'DISPLAY' },
      { who: 'mpv.exe', why: '', kind: 'SYSTEM' },
    ],
  });

  const { status } = await trayEvaluation();
  expect(status.agent.variant).toBe('tray');
  expect(status.reasons).toContain('power_request');
  expect(status.details.power_requests).toEqual(['mpv.exe', 'mpv.exe']);
});

it('without powercfg the task records why, and the tray reports power requests and the GPU as unavailable', async () => {
  const task = await runTask([]);
  expect(task.stdout).toContain('exit 0');
  expect(parseSnapshot(readFileSync(snapshotFile()))).toMatchObject({
    requests: [],
    error: 'powercfg is not available',
    unavailable: true,
  });

  const { status, log } = await trayEvaluation();
  expect(log).toContain('check power_requests is not available on this system and is left out: task');
  // The GPU engine counters need PowerShell (WMI), nvidia-smi is not installed: no GPU check, no crash.
  expect(log).toContain('check gpu is not available on this system and is left out');
  expect(status.checks.map((c) => c.name)).not.toContain('power_requests');
  expect(status.checks.map((c) => c.name)).not.toContain('gpu');
  expect(status.reasons).toEqual([]);
  expect(status.idle).toBe(true);
});
