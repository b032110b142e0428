/**
 * NVIDIA GPU utilisation from `nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits`: one
 * integer per GPU and line. `[N/A]` / `[Not Supported]` rows carry no reading. Read by the guest agent (its
 * GPU check) and by the host (its own GPU, shared by the containers).
 */
export const NVIDIA_SMI_ARGS = ['--query-gpu=utilization.gpu', '--format=csv,noheader,nounits'] as const;

/** The utilisation of each GPU that reported one. */
export function parseNvidiaSmiUtilization(stdout: string): number[] {
  const values: number[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const cell = line.split(',')[0]?.trim().replace(/\s*%$/, '') ?? '';
    if (/^\d{1,3}(\.\d+)?$/.test(cell)) {
      const value = Number(cell);
      if (value <= 100) values.push(value);
    }
  }
  return values;
}
