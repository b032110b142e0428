import { readFileSync } from 'fs';
import * as path from 'path';
import { UnavailableError } from '../../../../common/errors';
import type { GpuProbe } from '../../../../agent-app/core/checks/gpu';
import * as gpuCheck from '../../../../agent-app/core/checks/gpu';
import {
  GPU_ENGINE_CLASS,
  GPU_ENGINE_SCRIPT,
  adapterLoads,
  createGpuCounterProbe,
  parseEngineLines,
  readingFromCounters,
} from '../../../../agent-app/platform/windows/gpu-counters';
import { createWindowsGpuProbe } from '../../../../agent-app/platform/windows/gpu-probe';

const fixture = (name: string) =>
  readFileSync(path.join(__dirname, '..', '..', '..', 'fixtures', 'tray', 'gpu-engine', name), 'utf8');
const signal = () => new AbortController().signal;

describe('the PowerShell command', () => {
  it('reads the language-neutral WMI class, two properties, one tab-separated line per engine', () => {
    expect(GPU_ENGINE_CLASS).toBe('Win32_PerfFormattedData_GPUPerformanceCounters_GPUEngine');
    expect(GPU_ENGINE_SCRIPT).toBe(
      [
        "$ErrorActionPreference = 'Stop'",
        'Get-CimInstance -ClassName Win32_PerfFormattedData_GPUPerformanceCounters_GPUEngine -Property Name,UtilizationPercentage |',
        '  ForEach-Object { "{0}`t{1}" -f $_.Name, $_.UtilizationPercentage }',
      ].join('\n'),
    );
  });
});

describe('parsing the counters (fixtures: see SOURCES.md)', () => {
  it('parses instance names, with and without pid, engine types with spaces, CRLF', () => {
    const samples = parseEngineLines(fixture('radeon-compute-two-processes.txt'));
    expect(samples).toEqual([
      { pid: null, luid: '0x00000000_0x0000d1a5', phys: 0, engine: 0, type: '3D', percent: 3 },
      { pid: 4120, luid: '0x00000000_0x0000d1a5', phys: 0, engine: 12, type: 'Compute 1', percent: 60 },
      { pid: 4388, luid: '0x00000000_0x0000d1a5', phys: 0, engine: 12, type: 'Compute 1', percent: 55 },
      { pid: 4120, luid: '0x00000000_0x0000d1a5', phys: 0, engine: 8, type: 'Video Codec 0', percent: 7 },
    ]);
  });

  it('sums processes per engine (capped at 100) and takes the busiest engine per GPU', () => {
    expect(adapterLoads(parseEngineLines(fixture('radeon-compute-two-processes.txt')))).toEqual([
      { luid: '0x00000000_0x0000d1a5', percent: 100, busiest: 'Compute 1' },
    ]);
    expect(adapterLoads(parseEngineLines(fixture('rtx3070-game-and-browser.txt')))).toEqual([
      { luid: '0x00000000_0x000095ca', percent: 97, busiest: '3D' },
      { luid: '0x00000000_0x0000a18d', percent: 14, busiest: 'VideoDecode' },
    ]);
  });

  it.each([
    ['rtx3070-game-and-browser.txt', { percent: 97, gpus: 2, source: 'GPU engine counters, 3D' }],
    ['idle-desktop.txt', { percent: 1, gpus: 1, source: 'GPU engine counters, 3D' }],
    ['radeon-compute-two-processes.txt', { percent: 100, gpus: 1, source: 'GPU engine counters, Compute 1' }],
  ])('%s → %p', (name, reading) => expect(readingFromCounters(fixture(name))).toEqual(reading));

  it('skips lines that are not counter rows (warnings, blank lines, bad numbers)', () => {
    const text = [
      'WARNING: something',
      '',
      'pid_1_luid_0x0_0x1_phys_0_eng_0_engtype_3D\tabc',
      'not_an_instance\t12',
      'pid_1_luid_0x0_0x1_phys_0_eng_0_engtype_3D\t42',
    ].join('\n');
    expect(readingFromCounters(text)).toEqual({ percent: 42, gpus: 1, source: 'GPU engine counters, 3D' });
  });

  it('no engines at all (no WDDM 2 driver) is unavailable', () => {
    expect(() => readingFromCounters('')).toThrow(UnavailableError);
  });
});

describe('the counter probe', () => {
  const session = (answer: () => Promise<string>) => ({ invoke: answer, close: async () => undefined });

  it('feeds the core GPU check', async () => {
    const check = gpuCheck.create(
      { thresholdPercent: 10 },
      {
        probe: createGpuCounterProbe({
          powershell: session(async () => fixture('rtx3070-game-and-browser.txt')),
        }),
      },
    );
    expect(await check.run({ signal: signal(), now: 0 })).toEqual({
      state: 'active',
      reason: 'gpu_active',
      detail: 'GPU 97% > 10% (GPU engine counters, 3D, busiest of 2 GPUs)',
      evidence: { gpu_percent: 97 },
    });
  });

  it('a missing WMI class is unavailable; other PowerShell errors are failures', async () => {
    const missing = createGpuCounterProbe({
      powershell: session(async () =>
        Promise.reject(
          new Error(
            'Get-CimInstance : Invalid class "Win32_PerfFormattedData_GPUPerformanceCounters_GPUEngine"',
          ),
        ),
      ),
    });
    await expect(missing.read(signal())).rejects.toBeInstanceOf(UnavailableError);
    const broken = createGpuCounterProbe({
      powershell: session(async () => Promise.reject(new Error('Access denied'))),
    });
    await expect(broken.read(signal())).rejects.toThrow('GPU engine counters: Access denied');
    await expect(broken.read(signal())).rejects.not.toBeInstanceOf(UnavailableError);
  });
});

describe('the Windows GPU probe (counters + nvidia-smi)', () => {
  const fixed = (percent: number, source: string): GpuProbe => ({
    read: async () => ({ percent, gpus: 1, source }),
  });
  const missing = (what: string): GpuProbe => ({
    read: async () => Promise.reject(new UnavailableError(`${what} missing`, what)),
  });
  const failing: GpuProbe = { read: async () => Promise.reject(new Error('driver not loaded')) };

  it('auto: the busiest of both', async () => {
    const probe = createWindowsGpuProbe({
      vendor: 'auto',
      counters: fixed(40, 'counters'),
      nvidiaSmi: fixed(70, 'nvidia-smi'),
    });
    expect(await probe.read(signal())).toMatchObject({ percent: 70, source: 'nvidia-smi' });
  });

  it('auto: one source is enough; none is unavailable; failures are errors', async () => {
    expect(
      await createWindowsGpuProbe({
        vendor: 'auto',
        counters: fixed(5, 'counters'),
        nvidiaSmi: missing('nvidia-smi'),
      }).read(signal()),
    ).toMatchObject({ percent: 5 });
    await expect(
      createWindowsGpuProbe({
        vendor: 'auto',
        counters: missing('counters'),
        nvidiaSmi: missing('nvidia-smi'),
      }).read(signal()),
    ).rejects.toBeInstanceOf(UnavailableError);
    await expect(
      createWindowsGpuProbe({ vendor: 'auto', counters: failing, nvidiaSmi: missing('nvidia-smi') }).read(
        signal(),
      ),
    ).rejects.toThrow('driver not loaded');
  });

  it('nvidia uses nvidia-smi only, amd the counters only', async () => {
    expect(
      await createWindowsGpuProbe({
        vendor: 'nvidia',
        counters: fixed(99, 'counters'),
        nvidiaSmi: fixed(3, 'nvidia-smi'),
      }).read(signal()),
    ).toMatchObject({ percent: 3 });
    expect(
      await createWindowsGpuProbe({
        vendor: 'amd',
        counters: fixed(30, 'counters'),
        nvidiaSmi: fixed(90, 'nvidia-smi'),
      }).read(signal()),
    ).toMatchObject({ percent: 30 });
  });
});
