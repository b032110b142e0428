/**
 * The release workflow: valid for GitHub (its own parser, offline), and it builds, uploads and checksums every
 * package docs/install.md tells users to download, under the names it gives.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { workflowProblems } from '../helpers/workflow-parser';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { load } = require('js-yaml');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { expandMacro } = require('app-builder-lib/out/util/macroExpander');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Arch, getArtifactArchName } = require('builder-util');

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const WORKFLOW = '.github/workflows/release.yml';
const text = read(WORKFLOW);

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
}
interface Job {
  needs?: string | string[];
  permissions?: Record<string, string>;
  strategy?: { matrix: { include: { os: string; targets: string; debs: boolean }[] } };
  steps: Step[];
}
const workflow = load(text) as { on: Record<string, unknown>; jobs: Record<string, Job> };
const builder = load(read('electron-builder.yml')) as Record<string, Record<string, unknown>>;

describe(WORKFLOW, () => {
  it("passes GitHub's workflow parser", async () => {
    expect(await workflowProblems(WORKFLOW, text)).toEqual([]);
  });

  it('would fail it when broken (the check is real)', async () => {
    expect(
      await workflowProblems('x.yml', text.replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest')),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/Unexpected value 'runs_on'/)]));
    expect(await workflowProblems('x.yml', text.replace('needs: packages', 'needs: package'))).toEqual([
      expect.stringMatching(/Job 'publish' depends on unknown job 'package'/),
    ]);
    expect(
      await workflowProblems('x.yml', text.replace('${{ matrix.targets }}', '${{ matrix.targets( }}')),
    ).toEqual([expect.stringMatching(/Unexpected symbol/)]);
  });

  it('runs for version tags only, drafts, builds, then checksums and publishes', () => {
    expect(workflow.on).toEqual({ push: { tags: ['v*'] } });
    expect(workflow.jobs.packages.needs).toBe('draft');
    expect(workflow.jobs.publish.needs).toBe('packages');
    for (const job of Object.values(workflow.jobs)) expect(job.permissions).toEqual({ contents: 'write' });
    const publish = workflow.jobs.publish.steps.map((s) => s.run ?? '').join('\n');
    expect(publish).toMatch(
      /gh release download[^]*sha256sum -- \* > SHA256SUMS[^]*gh release upload "\$GITHUB_REF_NAME" SHA256SUMS/,
    );
    expect(publish).toMatch(/gh release edit "\$GITHUB_REF_NAME" --draft=false/);
  });

  it('builds every tray installer electron-builder.yml defines, and both .debs on the Linux leg', () => {
    const job = workflow.jobs.packages;
    expect(job.strategy?.matrix.include).toEqual([
      { os: 'windows-latest', targets: '--win nsis', debs: false },
      { os: 'macos-latest', targets: '--mac dmg', debs: false },
      { os: 'ubuntu-latest', targets: '--linux AppImage deb', debs: true },
    ]);
    const targetsOf = (os: string) =>
      (builder[os].target as (string | { target: string })[]).map((t) =>
        typeof t === 'string' ? t : t.target,
      );
    expect(targetsOf('win')).toEqual(['nsis']);
    expect(targetsOf('mac')).toEqual(['dmg']);
    expect(targetsOf('linux')).toEqual(['AppImage', 'deb']);
    const runs = job.steps.map((s) => s.run ?? s.uses);
    const at = (run: string) => runs.indexOf(run);
    expect(at('npm ci')).toBeGreaterThan(-1);
    expect(at('npm run build')).toBeGreaterThan(at('npm ci'));
    expect(at('npx electron-builder ${{ matrix.targets }} --publish always')).toBeGreaterThan(
      at('npm run build'),
    );
    expect(at('npm run package:host && npm run package:agent')).toBeGreaterThan(at('npm run build'));
    expect(at('gh release upload "$GITHUB_REF_NAME" dist-packages/*.deb --clobber')).toBeGreaterThan(
      at('npm run package:host && npm run package:agent'),
    );
    expect(builder.publish).toEqual({ provider: 'github', releaseType: 'draft' });
  });
});

describe('the release files docs/install.md names', () => {
  const version = '<version>';
  const appInfo = {
    sanitizedProductName: 'Proxmox Sleep Agent',
    productName: 'Proxmox Sleep Agent',
    version,
  };
  const name = (target: string, ext: string, arch: number | null) =>
    expandMacro(
      builder[target].artifactName as string,
      arch === null ? null : getArtifactArchName(arch, ext),
      appInfo,
      { ext },
    );
  const files = [
    'proxmox-sleep_<version>_all.deb',
    'proxmox-sleep-agent_<version>_all.deb',
    name('nsis', 'exe', Arch.x64),
    name('dmg', 'dmg', Arch.x64),
    name('dmg', 'dmg', Arch.arm64),
    name('appImage', 'AppImage', Arch.x64),
    name('deb', 'deb', Arch.x64),
    'SHA256SUMS',
  ];

  it("are electron-builder's names for this configuration, without spaces", () => {
    expect(files.slice(2, 7)).toEqual([
      'Proxmox-Sleep-Agent-Setup-<version>.exe',
      'Proxmox-Sleep-Agent-<version>-x64.dmg',
      'Proxmox-Sleep-Agent-<version>-arm64.dmg',
      'Proxmox-Sleep-Agent-<version>-x86_64.AppImage',
      'proxmox-sleep-tray_<version>_amd64.deb',
    ]);
  });

  it('each is in the download table', () => {
    const install = read('docs/install.md');
    for (const file of files) expect(install).toContain(`\`${file}\``);
  });
});
