/**
 * Regenerates the documents derived from code (`npm run gen:docs`): the protocol's JSON Schema, the config
 * reference and the example config. Tests fail when a checked-in copy differs from what this would write.
 */
import { writeFileSync } from 'fs';
import * as path from 'path';
import { renderConfigReference, renderExampleConfig } from '../host/config/render';
import { renderCommandManPage, renderConfigManPage } from '../host/config/render-man';
import { buildProgram } from '../host/program';
import { version } from '../package.json';
import { protocolJsonSchemaText } from '../protocol';

export const GENERATED: { file: string; render: () => string }[] = [
  { file: 'docs/protocol.schema.json', render: protocolJsonSchemaText },
  { file: 'docs/config.md', render: renderConfigReference },
  { file: 'installer/proxmox-sleep.conf.example', render: renderExampleConfig },
  {
    file: 'installer/host/man/proxmox-sleep.8',
    render: () => renderCommandManPage(silentProgram(), version),
  },
  { file: 'installer/host/man/proxmox-sleep.conf.5', render: () => renderConfigManPage(version) },
];

function silentProgram() {
  return buildProgram(
    { env: {}, stdout: () => undefined, stderr: () => undefined, isTTY: false },
    () => undefined,
  );
}

if (require.main === module) {
  const root = path.join(__dirname, '..', '..');
  for (const { file, render } of GENERATED) {
    writeFileSync(path.join(root, file), render());
    console.log(`wrote ${file}`);
  }
}
