/** The Debian mirror the image is built from: the host's own apt configuration, never a name in the repo. */
import { existsSync, readFileSync } from 'fs';

export const DEB822_SOURCES = '/etc/apt/sources.list.d/debian.sources';
export const LEGACY_SOURCES = '/etc/apt/sources.list';

/** First `URIs:` of a deb822 stanza that serves `suite` (e.g. bookworm, not bookworm-security). */
export function mirrorFromDeb822(text: string, suite: string): string | null {
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of stanza.split('\n')) {
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (m) fields.set(m[1].toLowerCase(), m[2].trim());
    }
    const types = (fields.get('types') ?? '').split(/\s+/);
    const suites = (fields.get('suites') ?? '').split(/\s+/);
    const uri = (fields.get('uris') ?? '').split(/\s+/)[0];
    if (types.includes('deb') && suites.includes(suite) && uri) return uri;
  }
  return null;
}

/** URL of a one-line `deb [options] URL suite components` entry for `suite`. */
export function mirrorFromSourcesList(text: string, suite: string): string | null {
  for (const line of text.split('\n')) {
    const m = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
    if (m && m[2] === suite) return m[1];
  }
  return null;
}

/** LAB_DEBIAN_MIRROR, else the host's apt sources; throws naming the files it read. */
export function findMirror(suite: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.LAB_DEBIAN_MIRROR) return env.LAB_DEBIAN_MIRROR;
  const fromDeb822 = existsSync(DEB822_SOURCES)
    ? mirrorFromDeb822(readFileSync(DEB822_SOURCES, 'utf8'), suite)
    : null;
  if (fromDeb822) return fromDeb822;
  const fromList = existsSync(LEGACY_SOURCES)
    ? mirrorFromSourcesList(readFileSync(LEGACY_SOURCES, 'utf8'), suite)
    : null;
  if (fromList) return fromList;
  throw new Error(
    `no Debian mirror for ${suite} in ${DEB822_SOURCES} or ${LEGACY_SOURCES}; set LAB_DEBIAN_MIRROR to a mirror URL`,
  );
}
