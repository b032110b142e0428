// Builds dist/ before the suites run when any source is newer than the build, so tests that run the real
// `proxmox-sleep` / `proxmox-sleep-agent` binaries always exercise the current code.
const { buildIfStale } = require('../../scripts/build-if-stale');

module.exports = async () => {
  buildIfStale();
};
