import { ConfigError } from '../../../common/errors';
import {
  formatSource,
  LEGACY_GAMING_PROCESSES,
  requireValid,
  resolveConfig,
  type Env,
  type LoadedConfig,
} from '../../../host/config';

const resolve = (text: string, env: Env = {}) => resolveConfig(text, '/etc/proxmox-sleep.conf', env);
const errors = (l: LoadedConfig) => l.problems.filter((p) => p.severity === 'error');
const warnings = (l: LoadedConfig) => l.problems.filter((p) => p.severity === 'warning');
const guest = (l: LoadedConfig, kind: 'vm' | 'ct', id: number) => {
  const g = l.config.guests.find((x) => x.kind === kind && x.id === id);
  if (!g) throw new Error(`no ${kind} ${id}`);
  return g;
};

describe('defaults and precedence', () => {
  it('uses the documented defaults', () => {
    const l = resolve('VM_IDS=100');
    expect(errors(l)).toEqual([]);
    const g = l.config.global;
    expect(g.idleThresholdMinutes).toBe(15);
    expect(g.checkInterval).toBe(60);
    expect(g.cpuIdleThreshold).toBe(15);
    expect(g.gpuIdleThreshold).toBe(10);
    expect(g.gpuVendor).toBe('auto');
    expect(g.checkSshSessions).toBe(true);
    expect(g.checkSleepInhibitors).toBe(true);
    expect(g.debug).toBe(false);
    expect(g.wakeGracePeriod).toBe(60);
    expect(g.hostBlockingProcesses).toEqual([]);
    expect(g.hostBlockingUnits).toEqual(['apt-daily.service', 'apt-daily-upgrade.service']);
    expect(g.hibernateTimeout).toBe(300);
    expect(g.shutdownTimeout).toBe(120);
    expect(g.wakeDelay).toBe(5);
    expect(g.idleMonitorLog).toBe('/var/log/proxmox-idle-monitor.log');
    expect(g.sleepManagerLog).toBe('/var/log/proxmox-sleep-manager.log');
    expect(l.config.stateDir).toBe('/run/proxmox-sleep');
    const vm = guest(l, 'vm', 100);
    expect(vm).toMatchObject({
      name: 'vm-100',
      monitor: true,
      sleepAction: 'hibernate',
      resumeOnWake: true,
      gamingProcesses: [],
      checkPowerRequests: true,
      checkUserIdle: true,
      cpuIdleThreshold: 15,
      gpuIdleThreshold: 10,
      idleTimeout: 15,
      transport: 'qga-file',
      onAgentMissing: 'cpu',
      onFailure: 'continue',
      hibernateTimeout: 300,
      shutdownTimeout: 120,
    });
  });

  it('gives containers their own defaults', () => {
    const ct = guest(resolve('CONTAINER_IDS=200'), 'ct', 200);
    expect(ct).toMatchObject({
      name: 'ct-200',
      sleepAction: 'shutdown',
      transport: 'lxc',
      monitor: true,
      resumeOnWake: true,
    });
  });

  it('lets the environment override the file, and the file the defaults', () => {
    const l = resolve('VM_IDS=100\nCHECK_INTERVAL=30\nVM_100_NAME=file-name\nWAKE_DELAY=7', {
      CHECK_INTERVAL: '45',
      VM_100_NAME: 'env-name',
    });
    expect(l.config.global.checkInterval).toBe(45);
    expect(l.config.global.wakeDelay).toBe(7);
    expect(guest(l, 'vm', 100).name).toBe('env-name');
    expect(formatSource(l.sources.global.checkInterval)).toBe('env');
    expect(formatSource(l.sources.global.wakeDelay)).toBe('file:4');
    expect(formatSource(l.sources.global.gpuIdleThreshold)).toBe('default');
  });

  it('takes the guest lists from the environment too', () => {
    const l = resolveConfig(null, null, { VM_IDS: '100 101', VM_101_SLEEP_ACTION: 'shutdown' });
    expect(l.config.guests.map((g) => g.id)).toEqual([100, 101]);
    expect(guest(l, 'vm', 101).sleepAction).toBe('shutdown');
  });

  it('treats an empty value as unset (the default applies)', () => {
    const l = resolve('VM_IDS=100\nCHECK_INTERVAL=\nVM_100_NAME=""');
    expect(l.config.global.checkInterval).toBe(60);
    expect(guest(l, 'vm', 100).name).toBe('vm-100');
    expect(errors(l)).toEqual([]);
  });

  it('lets HOST_BLOCKING_UNITS="" turn the unit check off', () => {
    expect(resolve('VM_IDS=100\nHOST_BLOCKING_UNITS=""').config.global.hostBlockingUnits).toEqual([]);
  });

  it('reads comma lists with blanks', () => {
    expect(
      resolve('VM_IDS=100\nHOST_BLOCKING_PROCESSES=" unattended-upgrade , vzdump ,"').config.global
        .hostBlockingProcesses,
    ).toEqual(['unattended-upgrade', 'vzdump']);
  });

  it('inherits per-guest thresholds and timeouts from the global keys, and reports that', () => {
    const l = resolve(
      'VM_IDS="100 101"\nCPU_IDLE_THRESHOLD=25\nIDLE_THRESHOLD_MINUTES=20\nVM_101_CPU_IDLE_THRESHOLD=5\nHIBERNATE_TIMEOUT=600',
    );
    expect(guest(l, 'vm', 100)).toMatchObject({
      cpuIdleThreshold: 25,
      idleTimeout: 20,
      hibernateTimeout: 600,
    });
    expect(guest(l, 'vm', 101).cpuIdleThreshold).toBe(5);
    expect(formatSource(l.sources.guests['vm:100'].cpuIdleThreshold)).toBe(
      'inherited:CPU_IDLE_THRESHOLD (file:2)',
    );
    expect(formatSource(l.sources.guests['vm:101'].cpuIdleThreshold)).toBe('file:4');
  });

  it('moves the state directory only through the environment', () => {
    expect(resolve('VM_IDS=100', { PROXMOX_SLEEP_STATE_DIR: '/tmp/state' }).config.stateDir).toBe(
      '/tmp/state',
    );
    const l = resolve('VM_IDS=100\nPROXMOX_SLEEP_STATE_DIR=/tmp/x');
    expect(l.config.stateDir).toBe('/run/proxmox-sleep');
    expect(warnings(l)).toEqual([expect.objectContaining({ key: 'PROXMOX_SLEEP_STATE_DIR', line: 2 })]);
    expect(errors(resolve('VM_IDS=100', { PROXMOX_SLEEP_STATE_DIR: 'relative' }))).toEqual([
      expect.objectContaining({ key: 'PROXMOX_SLEEP_STATE_DIR', file: null }),
    ]);
  });
});

describe('the rules of release 1.x', () => {
  it.each(['08', '010', '007'])('refuses leading zeros (%s) and falls back to the default', (value) => {
    const l = resolve(`VM_IDS=100\nIDLE_THRESHOLD_MINUTES=${value}`);
    expect(errors(l)).toEqual([
      expect.objectContaining({ key: 'IDLE_THRESHOLD_MINUTES', line: 2, file: '/etc/proxmox-sleep.conf' }),
    ]);
    expect(errors(l)[0].message).toMatch(/leading zero/);
    expect(l.config.global.idleThresholdMinutes).toBe(15);
  });

  it.each(['-5', '1.5', 'ten', '15m', ' '])(
    'refuses a non-integer threshold (%j) and falls back to the default',
    (value) => {
      const l = resolve(`VM_IDS=100\nCPU_IDLE_THRESHOLD="${value}"`);
      if (value.trim() === '') {
        expect(errors(l)).toEqual([expect.objectContaining({ key: 'CPU_IDLE_THRESHOLD' })]);
      } else {
        expect(errors(l)).toEqual([expect.objectContaining({ key: 'CPU_IDLE_THRESHOLD', line: 2 })]);
      }
      expect(l.config.global.cpuIdleThreshold).toBe(15);
    },
  );

  it('accepts 0 for the threshold (auto-sleep off) but not for CHECK_INTERVAL or the timeouts', () => {
    const l = resolve(
      'VM_IDS=100\nIDLE_THRESHOLD_MINUTES=0\nCHECK_INTERVAL=0\nHIBERNATE_TIMEOUT=0\nSHUTDOWN_TIMEOUT=abc\nWAKE_DELAY=x',
    );
    expect(l.config.global.idleThresholdMinutes).toBe(0);
    expect(errors(l).map((p) => p.key)).toEqual([
      'CHECK_INTERVAL',
      'HIBERNATE_TIMEOUT',
      'SHUTDOWN_TIMEOUT',
      'WAKE_DELAY',
    ]);
    expect(l.config.global).toMatchObject({
      checkInterval: 60,
      hibernateTimeout: 300,
      shutdownTimeout: 120,
      wakeDelay: 5,
    });
  });

  it.each(['yes', 'true', '2', 'on', 'no'])(
    'refuses flag value %s, which counts as on until fixed',
    (value) => {
      const l = resolve(`VM_IDS=100\nVM_100_RESUME_ON_WAKE=${value}\nCHECK_SSH_SESSIONS=${value}`);
      expect(errors(l).map((p) => p.key)).toEqual(['VM_100_RESUME_ON_WAKE', 'CHECK_SSH_SESSIONS']);
      expect(guest(l, 'vm', 100).resumeOnWake).toBe(true);
      expect(l.config.global.checkSshSessions).toBe(true);
    },
  );

  it('turns a flag off only with exactly 0', () => {
    const l = resolve('VM_IDS=100\nVM_100_MONITOR=0\nVM_100_RESUME_ON_WAKE=0\nCHECK_SLEEP_INHIBITORS=0');
    expect(guest(l, 'vm', 100)).toMatchObject({ monitor: false, resumeOnWake: false });
    expect(l.config.global.checkSleepInhibitors).toBe(false);
  });

  it('falls back to the kind default for an unknown action, never to ignore', () => {
    const l = resolve(
      'VM_IDS=100\nCONTAINER_IDS=200\nVM_100_SLEEP_ACTION=hiberate\nCONTAINER_200_SLEEP_ACTION=sleep',
    );
    expect(guest(l, 'vm', 100).sleepAction).toBe('hibernate');
    expect(guest(l, 'ct', 200).sleepAction).toBe('shutdown');
    expect(errors(l).map((p) => [p.key, p.line])).toEqual([
      ['VM_100_SLEEP_ACTION', 3],
      ['CONTAINER_200_SLEEP_ACTION', 4],
    ]);
    expect(errors(l)[0].message).toMatch(/did you mean hibernate\?/);
  });

  it('warns that a container set to hibernate will be shut down', () => {
    const l = resolve('CONTAINER_IDS=200\nCONTAINER_200_SLEEP_ACTION=hibernate');
    expect(errors(l)).toEqual([]);
    expect(warnings(l)).toEqual([
      expect.objectContaining({
        key: 'CONTAINER_200_SLEEP_ACTION',
        line: 2,
        message: expect.stringMatching(/shut down instead/),
      }),
    ]);
    expect(guest(l, 'ct', 200).sleepAction).toBe('hibernate');
  });

  it('removes duplicate IDs, keeps the order, and reports them', () => {
    const l = resolve('VM_IDS="101 100 101"\nCONTAINER_IDS="200 200"');
    expect(l.config.guests.map((g) => `${g.kind}${g.id}`)).toEqual(['vm101', 'vm100', 'ct200']);
    expect(errors(l).map((p) => [p.key, p.line])).toEqual([
      ['VM_IDS', 1],
      ['CONTAINER_IDS', 2],
    ]);
    expect(l.config.global.vmIds).toEqual(['101', '100']);
  });

  it('refuses an ID in both lists and keeps it as a VM', () => {
    const l = resolve('VM_IDS=100\nCONTAINER_IDS="100 200"');
    expect(l.config.guests.map((g) => `${g.kind}${g.id}`)).toEqual(['vm100', 'ct200']);
    expect(errors(l)).toEqual([expect.objectContaining({ key: 'CONTAINER_IDS', line: 2 })]);
  });

  it.each(['99', '0100', 'abc', '1000000000', '-1'])('refuses guest ID %s', (id) => {
    const l = resolve(`VM_IDS="100 ${id}"`);
    expect(errors(l)).toEqual([expect.objectContaining({ key: 'VM_IDS', line: 1 })]);
    expect(l.config.guests.map((g) => g.id)).toEqual([100]);
  });

  it('accepts commas between IDs', () => {
    expect(resolve('VM_IDS="100,101"').config.guests.map((g) => g.id)).toEqual([100, 101]);
  });

  it('refuses a configuration without guests', () => {
    const l = resolve('IDLE_THRESHOLD_MINUTES=15');
    expect(errors(l)).toEqual([
      expect.objectContaining({ key: 'VM_IDS', message: expect.stringMatching(/no guests/) }),
    ]);
  });

  it('warns once that GPU_VENDOR is ignored, whatever its value', () => {
    const l = resolve('VM_IDS=100\nGPU_VENDOR=intel');
    expect(errors(l)).toEqual([]);
    expect(warnings(l)).toEqual([expect.objectContaining({ key: 'GPU_VENDOR', line: 2 })]);
    expect(l.config.global.gpuVendor).toBe('auto');
  });
});

describe('the legacy VMID shim', () => {
  it('manages VMID as VM_IDS with the historical defaults when VM_IDS is empty', () => {
    const l = resolve('VMID=100');
    expect(errors(l)).toEqual([]);
    expect(l.config.guests.map((g) => g.id)).toEqual([100]);
    expect(guest(l, 'vm', 100)).toMatchObject({
      name: 'windows-vm',
      monitor: true,
      sleepAction: 'hibernate',
      resumeOnWake: true,
      checkPowerRequests: true,
      checkUserIdle: true,
      gamingProcesses: LEGACY_GAMING_PROCESSES,
    });
    expect(l.notes[0]).toMatch(/legacy single-VM configuration: VMID=100/);
    expect(formatSource(l.sources.guests['vm:100'].name)).toBe('legacy:VMID (file:1)');
    expect(formatSource(l.sources.global.vmIds)).toBe('legacy:VMID (file:1)');
  });

  it('uses VM_NAME and GAMING_PROCESSES, and "" turns process detection off', () => {
    const l = resolve('VMID=100\nVM_NAME="Gaming PC"\nGAMING_PROCESSES=""');
    expect(guest(l, 'vm', 100)).toMatchObject({ name: 'Gaming PC', gamingProcesses: [] });
    expect(formatSource(l.sources.guests['vm:100'].name)).toBe('legacy:VM_NAME (file:2)');
    const custom = resolve('VMID=100\nGAMING_PROCESSES="game.exe, other.exe"');
    expect(guest(custom, 'vm', 100).gamingProcesses).toEqual(['game.exe', 'other.exe']);
  });

  it('never overrides an explicit VM_<id>_* key', () => {
    const l = resolve(
      'VMID=100\nVM_100_SLEEP_ACTION=shutdown\nVM_100_NAME=mine\nVM_100_GAMING_PROCESSES=x.exe',
    );
    expect(guest(l, 'vm', 100)).toMatchObject({
      sleepAction: 'shutdown',
      name: 'mine',
      gamingProcesses: ['x.exe'],
    });
    expect(warnings(l)).toEqual([]);
  });

  it('keys on VM_IDS only: adding CONTAINER_IDS keeps the VMID VM', () => {
    const l = resolve('VMID=100\nCONTAINER_IDS=200');
    expect(l.config.guests.map((g) => `${g.kind}${g.id}`)).toEqual(['vm100', 'ct200']);
  });

  it('is not applied when VM_IDS is set, and says VMID is ignored', () => {
    const l = resolve('VMID=100\nVM_IDS=101\nVM_NAME=old');
    expect(l.config.guests.map((g) => g.id)).toEqual([101]);
    expect(warnings(l).map((p) => p.key)).toEqual(['VMID', 'VM_NAME']);
  });

  it('dedupes and validates VMID', () => {
    expect(errors(resolve('VMID="100 100"')).map((p) => p.key)).toEqual(['VM_IDS']);
    expect(resolve('VMID="100 100"').config.guests).toHaveLength(1);
    expect(errors(resolve('VMID=abc'))).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'VM_IDS', line: 1 })]),
    );
  });

  it('comes from the environment too', () => {
    const l = resolveConfig(null, null, { VMID: '105' });
    expect(guest(l, 'vm', 105).name).toBe('windows-vm');
  });
});

describe('typos never pass silently', () => {
  it('suggests the key a typo meant', () => {
    const l = resolve(
      'VM_IDS=100\nVM_100_SLEEP_ACTON=shutdown\nIDLE_TRESHOLD_MINUTES=5\nvm_ids=101\nCHECK_INTERVALL=5',
    );
    expect(warnings(l).map((p) => [p.line, p.key, p.message])).toEqual([
      [2, 'VM_100_SLEEP_ACTON', expect.stringContaining('did you mean VM_100_SLEEP_ACTION?')],
      [3, 'IDLE_TRESHOLD_MINUTES', expect.stringContaining('did you mean IDLE_THRESHOLD_MINUTES?')],
      [4, 'vm_ids', expect.stringContaining('did you mean VM_IDS?')],
      [5, 'CHECK_INTERVALL', expect.stringContaining('did you mean CHECK_INTERVAL?')],
    ]);
    expect(guest(l, 'vm', 100).sleepAction).toBe('hibernate');
  });

  it('hints at the per-guest key shape for unknown guest-like keys', () => {
    const l = resolve('VM_IDS=100\nVM100_NAME=x');
    expect(warnings(l)[0].message).toMatch(/did you mean VM_100_NAME\?/);
    expect(warnings(resolve('CONTAINER_IDS=200\nct_200_monitor=0'))[0].message).toMatch(
      /did you mean CONTAINER_200_MONITOR\?/,
    );
  });

  it('warns about keys of guests that are not configured', () => {
    const l = resolve('VM_IDS=100\nCONTAINER_IDS=200\nVM_105_NAME=a\nVM_105_MONITOR=0\nVM_200_NAME=b');
    expect(warnings(l).map((p) => [p.line, p.key])).toEqual([
      [3, 'VM_105_NAME'],
      [5, 'VM_200_NAME'],
    ]);
    expect(warnings(l)[1].message).toMatch(/configured as a container/);
  });

  it('warns about settings that do not apply to the kind', () => {
    const l = resolve(
      'CONTAINER_IDS=200\nCONTAINER_200_HIBERNATE_TIMEOUT=60\nCONTAINER_200_CHECK_USER_IDLE=0',
    );
    expect(warnings(l).map((p) => p.key)).toEqual([
      'CONTAINER_200_HIBERNATE_TIMEOUT',
      'CONTAINER_200_CHECK_USER_IDLE',
    ]);
  });

  it('warns when a key is set twice, and the later line wins', () => {
    const l = resolve('VM_IDS=100\nWAKE_DELAY=3\nWAKE_DELAY=9');
    expect(l.config.global.wakeDelay).toBe(9);
    expect(warnings(l)).toEqual([
      expect.objectContaining({ line: 3, key: 'WAKE_DELAY', message: expect.stringContaining('line 2') }),
    ]);
  });
});

describe('transports', () => {
  it('requires SSH_TARGET for ssh and VIRTIOFS_DIR for virtiofs', () => {
    const l = resolve('VM_IDS="100 101"\nVM_100_TRANSPORT=ssh\nVM_101_TRANSPORT=virtiofs');
    expect(errors(l).map((p) => p.key)).toEqual(['VM_100_SSH_TARGET', 'VM_101_VIRTIOFS_DIR']);
  });

  it('accepts a complete ssh setup', () => {
    const l = resolve(
      'VM_IDS=102\nVM_102_TRANSPORT=ssh\nVM_102_SSH_TARGET=admin@192.168.1.50\nVM_102_SSH_PORT=2222\nVM_102_SSH_KEY=/root/.ssh/mac',
    );
    expect(errors(l)).toEqual([]);
    expect(guest(l, 'vm', 102)).toMatchObject({
      transport: 'ssh',
      sshTarget: 'admin@192.168.1.50',
      sshPort: 2222,
      sshKey: '/root/.ssh/mac',
    });
  });

  it('refuses an ssh target that could smuggle options', () => {
    const l = resolve('VM_IDS=102\nVM_102_TRANSPORT=ssh\nVM_102_SSH_TARGET="-oProxyCommand=evil host"');
    expect(errors(l).map((p) => p.key)).toContain('VM_102_SSH_TARGET');
  });

  it('refuses transports of the other kind and falls back to the kind default', () => {
    const l = resolve(
      'VM_IDS=100\nCONTAINER_IDS=200\nVM_100_TRANSPORT=lxc\nCONTAINER_200_TRANSPORT=qga-file',
    );
    expect(errors(l).map((p) => p.key)).toEqual(['VM_100_TRANSPORT', 'CONTAINER_200_TRANSPORT']);
    expect(guest(l, 'vm', 100).transport).toBe('qga-file');
    expect(guest(l, 'ct', 200).transport).toBe('lxc');
  });

  it('refuses a relative status path but accepts Windows paths', () => {
    expect(errors(resolve('VM_IDS=100\nVM_100_STATUS_PATH=status.json')).map((p) => p.key)).toEqual([
      'VM_100_STATUS_PATH',
    ]);
    expect(
      errors(resolve('VM_IDS=100\nVM_100_STATUS_PATH="C:\\\\ProgramData\\\\ProxmoxSleep\\\\status.json"')),
    ).toEqual([]);
  });
});

describe('requireValid', () => {
  it('returns the configuration when there are only warnings', () => {
    expect(requireValid(resolve('VM_IDS=100\nFOO=1')).guests).toHaveLength(1);
  });

  it('throws ConfigError with exit code 78 listing the errors', () => {
    try {
      requireValid(resolve('VM_IDS=100\nCHECK_INTERVAL=0'));
      throw new Error('expected ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).exitCode).toBe(78);
      expect((e as ConfigError).message).toBe(
        '/etc/proxmox-sleep.conf:2: error: CHECK_INTERVAL: must be at least 1 (0 is not allowed here); using 60 until it is fixed',
      );
    }
  });
});

describe('settings that only work together, and settings 2.0 no longer reads', () => {
  it('requires the API URL and token for GUEST_AGENT_ACCESS=api', () => {
    expect(errors(resolve('VM_IDS=100\nGUEST_AGENT_ACCESS=api')).map((p) => [p.key, p.line])).toEqual([
      ['GUEST_AGENT_ACCESS', 2],
    ]);
    expect(
      errors(resolve('VM_IDS=100\nPROXMOX_API_URL=https://127.0.0.1:8006')).map((p) => [p.key, p.line]),
    ).toEqual([['PROXMOX_API_TOKEN_FILE', 2]]);
    expect(
      errors(
        resolve(
          'VM_IDS=100\nGUEST_AGENT_ACCESS=api\nPROXMOX_API_URL=https://127.0.0.1:8006\nPROXMOX_API_TOKEN_FILE=/etc/t',
        ),
      ),
    ).toEqual([]);
  });

  it('warns that GPU_VENDOR is ignored, globally and per VM, but not when a legacy shim set it', () => {
    const l = resolve('VM_IDS=100\nGPU_VENDOR=nvidia\nVM_100_GPU_VENDOR=amd');
    expect(errors(l)).toEqual([]);
    expect(warnings(l).map((p) => [p.key, p.line, p.message])).toEqual([
      ['GPU_VENDOR', 2, expect.stringMatching(/ignored since 2.0/)],
      ['VM_100_GPU_VENDOR', 3, expect.stringMatching(/ignored since 2.0/)],
    ]);
    expect(warnings(resolve('VMID=100'))).toEqual([]);
  });

  it('reads GPU_IDLE_THRESHOLD per container only', () => {
    const l = resolve(
      'VM_IDS=100\nCONTAINER_IDS=200\nVM_100_GPU_IDLE_THRESHOLD=50\nCONTAINER_200_GPU_IDLE_THRESHOLD=40',
    );
    expect(warnings(l).map((p) => p.key)).toEqual(['VM_100_GPU_IDLE_THRESHOLD']);
    expect(guest(l, 'ct', 200).gpuIdleThreshold).toBe(40);
  });
});
