import { parseNvidiaSmiUtilization } from '../../../../agent-app/platform/shared/nvidia-smi';
import { parseRocmSmiJson } from '../../../../agent-app/platform/shared/rocm-smi';
import { agentFixture } from '../../../helpers/agent-fixtures';

describe('nvidia-smi CSV parser', () => {
  it('reads one value per GPU', () => {
    expect(parseNvidiaSmiUtilization(agentFixture('nvidia-smi', 'eight-gpus.txt'))).toEqual([
      0, 86, 85, 60, 84, 83, 83, 82,
    ]);
    expect(parseNvidiaSmiUtilization(agentFixture('nvidia-smi', 'one-gpu.txt'))).toEqual([12]);
  });

  it('gives no reading for the driver error or an unsupported field', () => {
    expect(parseNvidiaSmiUtilization(agentFixture('nvidia-smi', 'driver-not-loaded.txt'))).toEqual([]);
    expect(parseNvidiaSmiUtilization(agentFixture('nvidia-smi', 'not-supported.txt'))).toEqual([]);
  });

  it('tolerates units and CRLF', () => {
    expect(parseNvidiaSmiUtilization('7 %\r\n100 %\r\n')).toEqual([7, 100]);
    expect(parseNvidiaSmiUtilization('101\n')).toEqual([]);
  });
});

describe('rocm-smi JSON parser', () => {
  it('reads GPU use per card', () => {
    expect(parseRocmSmiJson(agentFixture('rocm-smi', 'rx7900xt-productname-use.out'))).toEqual([0]);
    expect(parseRocmSmiJson(agentFixture('rocm-smi', 'radeon-780m.out'))).toEqual([19]);
  });

  it('finds no reading when the field is missing', () => {
    expect(parseRocmSmiJson(agentFixture('rocm-smi', 'two-rx6800-memuse-only.out'))).toEqual([]);
  });

  it('skips warnings printed before the JSON', () => {
    const text = `WARNING: AMD GPU device(s) is/are in a low-power state. Check power control/runtime_status\n\n${agentFixture('rocm-smi', 'radeon-780m.out')}`;
    expect(parseRocmSmiJson(text)).toEqual([19]);
  });

  it('refuses output without JSON', () => {
    expect(() => parseRocmSmiJson('ERROR: no GPUs found')).toThrow(/no JSON/);
  });
});
