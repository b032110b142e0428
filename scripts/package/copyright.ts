/**
 * debian/copyright (machine-readable format 1.0) for a package, generated from what esbuild actually put into
 * its program: one paragraph per bundled npm package with that package's own licence text, so the file
 * cannot drift from the bundle. Apache-2.0 refers to /usr/share/common-licenses as Debian asks.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import * as path from 'path';

const OUR_LICENSE = `Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following
conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions
of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED
TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL
THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF
CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
DEALINGS IN THE SOFTWARE.`;

export interface BundledPackage {
  dir: string;
  name: string;
  version: string;
  /** Debian short name, e.g. `Expat`, `ISC`, `Apache-2.0`, `Expat or Apache-2.0`. */
  license: string;
  copyright: string[];
  /** The package's own licence file(s), verbatim; empty for Apache-2.0 (common-licenses). */
  licenseText: string;
  comment?: string;
}

/** npm licence identifiers → Debian short names. */
const SHORT_NAME: Record<string, string> = {
  MIT: 'Expat',
  'MIT/X11': 'Expat',
  ISC: 'ISC',
  'Apache-2.0': 'Apache-2.0',
  Apache2: 'Apache-2.0',
  'BlueOak-1.0.0': 'BlueOak-1.0.0',
  'BSD-2-Clause': 'BSD-2-clause',
  'BSD-3-Clause': 'BSD-3-clause',
};

function licenseOf(pkg: Record<string, unknown>, text: string, where: string): string {
  const raw = pkg.license ?? pkg.licenses;
  const ids: string[] = [];
  const add = (v: unknown) => {
    if (typeof v === 'string') ids.push(...v.replace(/[()]/g, '').split(/\s+OR\s+/));
    else if (Array.isArray(v)) v.forEach(add);
    else if (v && typeof v === 'object' && 'type' in v) add((v as { type: unknown }).type);
  };
  add(raw);
  if (ids.length === 0) {
    // No licence field: recognise the two texts that occur (jsbi, map-stream).
    if (/Apache License\s+Version 2\.0/.test(text)) ids.push('Apache-2.0');
    else if (/Permission is hereby granted, free of charge/.test(text)) ids.push('MIT');
  }
  if (ids.length === 0) throw new Error(`${where}: no licence in package.json nor a recognised licence file`);
  return ids
    .map((id) => {
      const short = SHORT_NAME[id];
      if (!short) throw new Error(`${where}: licence "${id}" has no Debian short name in copyright.ts`);
      return short;
    })
    .join(' or ');
}

function authorOf(pkg: Record<string, unknown>): string | undefined {
  const a = pkg.author;
  if (typeof a === 'string') return a;
  if (a && typeof a === 'object' && 'name' in a) return String((a as { name: unknown }).name);
  return undefined;
}

export function describePackage(root: string, dir: string): BundledPackage {
  const abs = path.join(root, dir);
  const pkg = JSON.parse(readFileSync(path.join(abs, 'package.json'), 'utf8')) as Record<string, unknown>;
  const files = readdirSync(abs)
    .filter((f) => /^(licen[cs]e|copying)/i.test(f))
    .sort();
  if (files.length === 0) throw new Error(`${dir}: no LICENSE file`);
  const texts = files.map((f) => readFileSync(path.join(abs, f), 'utf8').trim());
  const license = licenseOf(pkg, texts.join('\n'), dir);
  // The Apache licence itself is in /usr/share/common-licenses; keep only the other texts.
  const ownTexts = texts.filter(
    (t) => !/TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION/.test(t),
  );
  const copyright = [
    ...new Set(
      texts
        .join('\n')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => /^copyright\s+(\(c\)|©|\d{4})/i.test(l)),
    ),
  ];
  const author = authorOf(pkg);
  if (copyright.length === 0) copyright.push(author ? author : `the ${String(pkg.name)} authors`);
  const result: BundledPackage = {
    dir,
    name: String(pkg.name),
    version: String(pkg.version),
    license,
    copyright,
    licenseText: ownTexts.join('\n\n'),
  };
  const vendored = vendoredBy(abs);
  if (vendored) result.comment = `${result.name} itself bundles: ${vendored}.`;
  return result;
}

/** zx ships its own dependencies inside its build, with a list of them; name them too. */
function vendoredBy(abs: string): string | undefined {
  const list = path.join(abs, 'build', '3rd-party-licenses');
  if (!existsSync(list)) return undefined;
  const entries: string[] = [];
  const blocks = readFileSync(list, 'utf8')
    .split(/\n\s*\n/)
    .slice(1);
  for (const block of blocks) {
    const lines = block.split('\n').map((l) => l.trim());
    if (lines.length >= 4 && lines[0].includes('@', 1)) entries.push(`${lines[0]} (${lines[3]})`);
  }
  return entries.length ? entries.join(', ') : undefined;
}

function field(name: string, lines: string[]): string[] {
  return [`${name}: ${lines[0]}`, ...lines.slice(1).map((l) => ` ${l}`)];
}

function indentText(text: string): string[] {
  return text.split('\n').map((l) => (l.trim() === '' ? ' .' : ` ${l.replace(/\s+$/, '')}`));
}

export function renderCopyright(program: string, packages: BundledPackage[]): string {
  const out: string[] = [
    'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/',
    'Upstream-Name: proxmox-sleep',
    'Comment: /usr/bin/' +
      program +
      ' is one JavaScript file made by esbuild from this project and the npm packages listed below; the',
    ' paragraphs name the packages by their path in the source tree.',
    '',
    'Files: *',
    'Copyright: 2026 Proxmox Sleep Manager contributors',
    'License: Expat',
    '',
  ];
  let apache = false;
  for (const p of packages) {
    out.push(`Files: ${p.dir}/*`, ...field('Copyright', p.copyright));
    if (p.licenseText) out.push(`License: ${p.license}`, ...indentText(p.licenseText));
    else out.push(`License: ${p.license}`);
    out.push(`Comment: ${p.name} ${p.version}.${p.comment ? ` ${p.comment}` : ''}`, '');
    if (p.license.includes('Apache-2.0')) apache = true;
  }
  out.push('License: Expat', ...indentText(OUR_LICENSE));
  if (apache) {
    out.push(
      '',
      'License: Apache-2.0',
      ' On Debian systems, the full text of the Apache License, Version 2.0 can be found in',
      ' /usr/share/common-licenses/Apache-2.0.',
    );
  }
  return out.join('\n') + '\n';
}
