import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { findOnPath, lazyRunner } from '../../../../agent-app/platform/shared/commands';
import { createGpuProbe } from '../../../../agent-app/platform/shared/gpu-probe';
import { UnavailableError } from '../../../../common/errors';
import { agentFixture } from '../../../helpers/agent-fixtures';
import { fakeCommand } from '../../../helpers/agent-cli';

let bin: string;
beforeEach(() => (bin = mkdtempSync(path.join(tmpdir(), 'agent-gpu-'))));
afterEach(() => rmSync(bin, { recursive: true, force: true }));

const probe = (vendor: 'auto' | 'nvidia' | 'amd') =>
  createGpuProbe({ vendor, run: lazyRunner({ timeoutMs: 5000 }), findOnPath: (c) => findOnPath(c, bin) });
const read = (vendor: 'auto' | 'nvidia' | 'amd') => probe(vendor).read(new AbortController().signal);
const printFixture = (tool: string, name: string) => `cat <<'EOF'\n${agentFixture(tool, name)}EOF`;

describe('GPU probe (fake tools on PATH printing captured output)', () => {
  it('is unavailable when no tool is installed', async () => {
    await expect(read('auto')).rejects.toBeInstanceOf(UnavailableError);
    await expect(read('amd')).rejects.toThrow('rocm-smi is not installed');
  });

  it('takes the busiest GPU across tools', async () => {
    fakeCommand(bin, 'nvidia-smi', printFixture('nvidia-smi', 'eight-gpus.txt'));
    fakeCommand(bin, 'rocm-smi', printFixture('rocm-smi', 'radeon-780m.out'));
    expect(await read('auto')).toEqual({ percent: 86, gpus: 9, source: 'nvidia-smi' });
    expect(await read('amd')).toEqual({ percent: 19, gpus: 1, source: 'rocm-smi' });
  });

  it('a tool that fails (driver not loaded, GPU bound to vfio) is unknown, never active', async () => {
    fakeCommand(bin, 'nvidia-smi', `${printFixture('nvidia-smi', 'driver-not-loaded.txt')}\nexit 9`);
    const error = await read('auto').catch((e: Error) => e);
    expect(error).not.toBeInstanceOf(UnavailableError);
    expect(String(error)).toMatch(/nvidia-smi gave no utilisation \(exit 9\): NVIDIA-SMI has failed/);
  });
});

describe('findOnPath', () => {
  it('looks up <name>.exe on Windows, as the shell would, and the name itself elsewhere', async () => {
    const { mkdtempSync, writeFileSync } = await import('fs');
    const { tmpdir } = await import('os');
    const path = await import('path');
    const dir = mkdtempSync(path.join(tmpdir(), 'find-'));
    writeFileSync(path.join(dir, 'nvidia-smi.exe'), '', { mode: 0o755 });
    expect(await findOnPath('nvidia-smi', dir, 'win32')).toBe(path.join(dir, 'nvidia-smi.exe'));
    expect(await findOnPath('nvidia-smi', dir, 'linux')).toBeNull();
    expect(await findOnPath('nvidia-smi.exe', dir, 'win32')).toBe(path.join(dir, 'nvidia-smi.exe'));
  });
});
