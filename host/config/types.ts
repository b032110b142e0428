import type { GlobalConfig, GlobalField, GuestField, GuestKind, GuestSettings } from './keys';

/** Where a value came from. */
export type Source =
  | { kind: 'default' }
  | { kind: 'file'; file: string; line: number }
  | { kind: 'env' }
  /** Synthesised by the legacy VMID shim from the key named in `key`. */
  | { kind: 'legacy'; key: string; origin: Source }
  /** A per-guest value taken from the global key `key`. */
  | { kind: 'inherited'; key: string; origin: Source };

export interface GuestConfig extends GuestSettings {
  kind: GuestKind;
  id: number;
}

export interface HostConfig {
  /** The file that was read, or null when none was found. */
  file: string | null;
  stateDir: string;
  global: GlobalConfig;
  /** VMs in VM_IDS order, then containers in CONTAINER_IDS order. */
  guests: GuestConfig[];
}

export interface ConfigSources {
  global: Record<GlobalField, Source>;
  /** Keyed by `vm:100` / `ct:200`. */
  guests: Record<string, Record<GuestField, Source>>;
  stateDir: Source;
}

export function guestRef(kind: GuestKind, id: number): string {
  return `${kind}:${id}`;
}

/** `default`, `file:12`, `env`, `legacy:VMID (file:3)`, `inherited:CPU_IDLE_THRESHOLD (default)`. */
export function formatSource(source: Source): string {
  switch (source.kind) {
    case 'default':
      return 'default';
    case 'file':
      return `file:${source.line}`;
    case 'env':
      return 'env';
    case 'legacy':
      return `legacy:${source.key} (${formatSource(source.origin)})`;
    case 'inherited':
      return `inherited:${source.key} (${formatSource(source.origin)})`;
  }
}
