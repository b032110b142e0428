import { chmodSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { recipeKey } from '../../../lab/qemu/image-cache';
import { RECIPE_DIR } from '../../../lab/qemu/image/recipe';

describe('the image cache key', () => {
  let copy: string;
  beforeEach(() => {
    copy = path.join(mkdtempSync(path.join(tmpdir(), 'recipe-')), 'image');
    cpSync(RECIPE_DIR, copy, { recursive: true });
  });
  afterEach(() => rmSync(path.dirname(copy), { recursive: true, force: true }));

  it('is 16 hex digits and depends only on the recipe files and the mirror', () => {
    const key = recipeKey('http://m.example/debian', copy);
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(recipeKey('http://m.example/debian', RECIPE_DIR)).toBe(key);
    expect(recipeKey('http://other.example/debian', copy)).not.toBe(key);
  });

  it('changes when a guest file changes, is added, or loses its executable bit', () => {
    const key = recipeKey('m', copy);
    writeFileSync(path.join(copy, 'guest-files', 'etc', 'hostname'), 'other\n');
    const edited = recipeKey('m', copy);
    expect(edited).not.toBe(key);
    writeFileSync(path.join(copy, 'guest-files', 'etc', 'motd'), 'hi\n');
    const added = recipeKey('m', copy);
    expect(added).not.toBe(edited);
    chmodSync(path.join(copy, 'guest-files', 'usr', 'local', 'bin', 'counter.js'), 0o644);
    expect(recipeKey('m', copy)).not.toBe(added);
  });
});
