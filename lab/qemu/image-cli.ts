/**
 * `npm run lab:image`: builds the lab guest image if the cache has none for the current recipe, then prints
 * its folder (the last line of stdout). Progress goes to stderr.
 */
import { errorMessage } from '../../common/errors';
import { ensureImage } from './image-cache';

async function main(): Promise<void> {
  const { image, built, elapsedMs } = await ensureImage({
    progress: (line) => process.stderr.write(`[lab:image] ${line}\n`),
  });
  process.stderr.write(
    `[lab:image] ${built ? 'built' : 'cached'} ${image.manifest.recipe}-${image.key} ` +
      `(kernel ${image.manifest.kernelRelease}) in ${elapsedMs} ms\n`,
  );
  process.stdout.write(`${image.dir}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`lab:image: ${errorMessage(e)}\n`);
  process.exit(1);
});
