/**
 * One long-lived PowerShell process (node-powershell) for the tray's Windows probes: starting PowerShell
 * costs about a third of a second of CPU, far too much every status interval; invoking a script in a
 * running one costs milliseconds. Started on first use; a crashed process is replaced on the next call.
 */
import type { PowerShell as PowerShellClass } from 'node-powershell';
import { errorMessage } from '../../../common/errors';

export interface PowerShellSession {
  /** Runs the script and returns what it printed; throws with PowerShell's error message. */
  invoke(script: string): Promise<string>;
  close(): Promise<void>;
}

export interface PowerShellSessionOptions {
  /** Per-invocation limit. */
  timeoutMs: number;
  /** For tests: builds the shell (default: node-powershell's PowerShell, loaded on first use). */
  create?: () => Promise<Pick<PowerShellClass, 'invoke' | 'dispose'>>;
}

/** The options node-powershell starts powershell.exe with: no profile, no prompts, scripts allowed. */
export const POWERSHELL_OPTIONS = {
  '-NoLogo': true,
  '-NoProfile': true,
  '-NonInteractive': true,
  '-ExecutionPolicy': 'Bypass',
} as const;

export function createPowerShellSession(options: PowerShellSessionOptions): PowerShellSession {
  const create =
    options.create ??
    (async () => {
      const { PowerShell } = await import('node-powershell');
      return new PowerShell({
        executableOptions: { ...POWERSHELL_OPTIONS },
        invocationTimeout: options.timeoutMs,
        throwOnInvocationError: true,
      });
    });
  let shell: Promise<Pick<PowerShellClass, 'invoke' | 'dispose'>> | null = null;

  const drop = async () => {
    const current = shell;
    shell = null;
    if (current) await current.then((s) => s.dispose()).catch(() => undefined);
  };

  return {
    async invoke(script) {
      shell ??= create();
      let instance;
      try {
        instance = await shell;
      } catch (e) {
        shell = null;
        throw new Error(`cannot start PowerShell: ${errorMessage(e)}`, { cause: e });
      }
      try {
        const result = await instance.invoke(script);
        return result.raw;
      } catch (e) {
        // A timed-out or dead shell is not reused; the next call starts a fresh one.
        if ((e as Error).name !== 'InvocationError') await drop();
        throw e;
      }
    },
    close: drop,
  };
}
