/** The /etc/proxmox-sleep.conf the host package ships: every key explained, nothing set, no guest. */
import { readFileSync } from 'fs';
import * as path from 'path';
import { GLOBAL_KEYS, GUEST_KEYS, resolveConfig } from '../../host/config';

const text = readFileSync(
  path.join(__dirname, '..', '..', 'installer', 'host', 'proxmox-sleep.conf'),
  'utf8',
);

test('names every key and sets none: only the "no guests" error, and the defaults', () => {
  for (const key of Object.values(GLOBAL_KEYS)) expect(text).toContain(`#${key.name}=`);
  for (const key of Object.values(GUEST_KEYS)) expect(text).toContain(key.suffix);
  expect(text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))).toEqual([]);
  const loaded = resolveConfig(text, 'default', {});
  expect(loaded.config.guests).toEqual([]);
  expect(loaded.problems.map((p) => `${p.severity} ${p.key}`)).toEqual(['error VM_IDS']);
  expect(loaded.config.global).toEqual(resolveConfig('', 'empty', {}).config.global);
});

test('uncommenting the defaults changes nothing, and the commented sample guests are valid', () => {
  const defaults = text
    .split('\n')
    .filter(
      (l) => /^#[A-Z_0-9]+=/.test(l) && !l.includes('# example') && !/^#(VM_100|CONTAINER_200)_/.test(l),
    )
    .map((l) => l.slice(1));
  const withDefaults = resolveConfig([...defaults, 'VM_IDS=100'].join('\n'), 'defaults', {});
  expect(withDefaults.problems.filter((p) => p.severity === 'error')).toEqual([]);
  expect(withDefaults.config.global).toEqual(resolveConfig('VM_IDS=100', 'fresh', {}).config.global);

  const samples = text
    .split('\n')
    .filter((l) => /^#(VM_100|CONTAINER_200)_/.test(l))
    .map((l) => l.slice(1));
  const withSamples = resolveConfig(['VM_IDS=100', 'CONTAINER_IDS=200', ...samples].join('\n'), 's', {});
  expect(withSamples.problems).toEqual([]);
  expect(withSamples.config.guests.map((g) => g.name)).toEqual(['gaming-pc', 'media']);
});
