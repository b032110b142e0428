import { readFileSync } from 'fs';
import * as path from 'path';
import { GLOBAL_KEYS, GUEST_KEYS, resolveConfig } from '../../../host/config';
import { GENERATED } from '../../../scripts/generate-docs';

const root = path.join(__dirname, '..', '..', '..');

describe('documents generated from the key table', () => {
  it.each(GENERATED.map((g) => [g.file, g.render] as const))(
    '%s is up to date (run `npm run gen:docs`)',
    (file, render) => {
      expect(readFileSync(path.join(root, file), 'utf8')).toBe(render());
    },
  );

  it('the example config explains every key and is itself valid', () => {
    const example = readFileSync(path.join(root, 'installer/proxmox-sleep.conf.example'), 'utf8');
    for (const key of Object.values(GLOBAL_KEYS)) expect(example).toContain(key.name);
    for (const key of Object.values(GUEST_KEYS)) expect(example).toContain(key.suffix);
    const loaded = resolveConfig(example, 'example', {});
    expect(loaded.problems).toEqual([]);
    expect(loaded.config.guests.map((g) => `${g.kind}${g.id}`)).toEqual(['vm100', 'ct200']);
  });

  it('every commented default in the example parses back to the default', () => {
    const example = readFileSync(path.join(root, 'installer/proxmox-sleep.conf.example'), 'utf8');
    const defaults = example
      .split('\n')
      .filter(
        (l) =>
          /^#[A-Z_]+=/.test(l) &&
          !l.includes('# example') &&
          !l.startsWith('#VM_100') &&
          !l.startsWith('#CONTAINER_200'),
      )
      .map((l) => l.slice(1));
    const loaded = resolveConfig(['VM_IDS=100', ...defaults].join('\n'), 'defaults', {});
    expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const fresh = resolveConfig('VM_IDS=100', 'fresh', {});
    expect(loaded.config.global).toEqual(fresh.config.global);
  });
});
