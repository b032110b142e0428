// Where Debian's wine64 loader is. The wine64 package puts it in /usr/lib/wine/ without a link on PATH (the
// `wine` package adds the wrapper); other layouts put wine64 on PATH. $WINE64 overrides both.
const fs = require('fs');
const path = require('path');

const DEBIAN_LOCATIONS = ['/usr/lib/wine/wine64', '/usr/lib/x86_64-linux-gnu/wine/wine64'];

function executable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The wine64 loader and its wineserver, or null when wine64 is not installed. */
function findWine(env = process.env) {
  const onPath = (env.PATH || '')
    .split(path.delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => path.join(dir, 'wine64'));
  const wine64 = [env.WINE64, ...onPath, ...DEBIAN_LOCATIONS].find((f) => f && executable(f));
  if (!wine64) return null;
  const real = fs.realpathSync(wine64);
  const wineserver = ['wineserver', 'wineserver64']
    .map((name) => path.join(path.dirname(real), name))
    .find(executable);
  return wineserver ? { wine64: real, wineserver } : null;
}

module.exports = { findWine, DEBIAN_LOCATIONS };
