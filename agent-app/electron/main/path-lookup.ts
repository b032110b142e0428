/** PATH lookup for the tray's probes on the platform it runs on (Windows looks up `<name>.exe`). */
import { findOnPath, type PathLookup } from '../../platform/shared/commands';

export function pathLookup(platform: NodeJS.Platform, searchPath: string): PathLookup {
  return (cmd) => findOnPath(cmd, searchPath, platform);
}
