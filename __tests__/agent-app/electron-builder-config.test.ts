import { readFileSync } from 'fs';
import * as path from 'path';

// electron-builder's own schema validation (works offline; packaging itself needs downloads this machine cannot make).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { validateConfiguration } = require('app-builder-lib/out/util/config/config');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DebugLogger } = require('builder-util');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { load } = require('js-yaml');

const root = path.join(__dirname, '..', '..');

describe('electron-builder.yml', () => {
  it('passes electron-builder validation', async () => {
    const config = load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('would be refused if it held an unknown key (the validation is real)', async () => {
    const config = load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));
    config.linux.bogusKey = 1;
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(
      /configuration\.linux/,
    );
  });
});

describe('the tray deb', () => {
  it('is named proxmox-sleep-tray, not the host package name, so the agent deb can conflict with it', () => {
    const config = load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));
    expect(config.deb.packageName).toBe('proxmox-sleep-tray');
  });
});
