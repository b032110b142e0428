/**
 * Before any end-to-end suite: dist/ is current (later suites run the built host tool and agent), the lab
 * image exists (built once, about 80 s, when the recipe changed) and the accelerator is chosen. Both are
 * cached, so the suites' own calls are instant.
 */
import { errorMessage } from '../../common/errors';
import { labSetup } from './helpers/qemu-guest';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const buildDist = require('../helpers/global-setup.js') as () => Promise<void>;

export default async function globalSetup(): Promise<void> {
  await buildDist();
  try {
    const { image, built, elapsedMs, accel } = await labSetup((line) =>
      process.stderr.write(`[lab:image] ${line}\n`),
    );
    process.stderr.write(
      `\n[e2e] lab image ${image.dir} (${built ? 'built' : 'cached'}, ${elapsedMs} ms); accelerator ${accel.accel}: ${accel.reason}\n`,
    );
  } catch (e) {
    throw new Error(`the end-to-end suites need the lab image: ${errorMessage(e)}`, { cause: e });
  }
}
