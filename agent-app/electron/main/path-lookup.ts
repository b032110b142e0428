/** PATH lookup for the tray's probes: Windows finds `nvidia-smi` as `nvidia-smi.exe`, which the shared lookup does not try. */
import { findOnPath, type PathLookup } from '../../platform/shared/commands';

export function pathLookup(platform: NodeJS.Platform, searchPath: string): PathLookup {
  if (platform !== 'win32') return (cmd) => findOnPath(cmd, searchPath);
  return (cmd) => findOnPath(/\.[a-z]{3}$/i.test(cmd) ? cmd : `${cmd}.exe`, searchPath);
}
