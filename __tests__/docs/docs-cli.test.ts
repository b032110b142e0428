/**
 * Docs and CLI stay true to each other: every `proxmox-sleep …` and `proxmox-sleep-agent …` line in README.md
 * and docs/ parses with the real commander programs (commands, options, argument choices), and every
 * configuration key the docs name is in the key table.
 */
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { Command, CommanderError } from 'commander';
import { buildTrayAgentProgram } from '../../agent-app/electron/cli/tray-agent-cli';
import { ENV_ONLY, GLOBAL_KEYS, GUEST_KEYS } from '../../host/config/keys';
import { buildProgram } from '../../host/cli/program';
import { SILENT_AGENT_IO } from '../../scripts/generate-docs';
import {
  codeOf,
  commandsIn,
  expand,
  keyNamesIn,
  shellWords,
  type DocCommand,
  type DocLine,
} from './doc-commands';

const ROOT = path.join(__dirname, '..', '..');
const DOCS = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const code: DocLine[] = DOCS.flatMap((file) => codeOf(file, readFileSync(path.join(ROOT, file), 'utf8')));

/** The real program with every action replaced: parsing only, nothing runs. */
function parsingOnly(program: Command): Command {
  const walk = (cmd: Command) => {
    cmd.action(() => undefined);
    cmd.commands.forEach(walk);
  };
  program.commands.forEach(walk);
  return program;
}

const quiet = { stdout: () => undefined, stderr: () => undefined };
const programs = {
  'proxmox-sleep': () => parsingOnly(buildProgram({ env: {}, isTTY: false, ...quiet }, () => undefined)),
  // The tray package's command line is the daemon's plus power-requests: one program covers both.
  'proxmox-sleep-agent': () => parsingOnly(buildTrayAgentProgram(SILENT_AGENT_IO, () => undefined)),
};

async function parses(c: DocCommand): Promise<string | null> {
  const program = programs[c.program]();
  program.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  try {
    await program.parseAsync(['node', c.program, ...c.args]);
    return null;
  } catch (e) {
    if (e instanceof CommanderError && ['commander.helpDisplayed', 'commander.version'].includes(e.code))
      return null;
    return `${c.file}:${c.line}: ${c.program} ${c.args.join(' ')}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

const commands = code.flatMap(commandsIn);

describe('the extraction', () => {
  it('splits like a shell and expands the docs notation', () => {
    expect(shellWords(`notify --message "Host sleeps" --seconds 60   # comment`)).toEqual([
      'notify',
      '--message',
      'Host sleeps',
      '--seconds',
      '60',
    ]);
    expect(expand(shellWords('agent <id> status|ping'))).toEqual([
      ['agent', '101', 'status'],
      ['agent', '101', 'ping'],
    ]);
    expect(expand(shellWords('block --for 1h | --off [--source NAME]'))).toEqual([
      ['block', '--for', '1h'],
      ['block', '--off', '--source', 'NAME'],
    ]);
    expect(expand(shellWords('status | grep Auto'))).toEqual([['status']]);
  });

  it('finds the command lines of every document, and not paths or unit names', () => {
    expect(commands.length).toBeGreaterThan(80);
    for (const file of [
      'README.md',
      'docs/install.md',
      'docs/agent.md',
      'docs/tray.md',
      'docs/sleep-wake.md',
    ])
      expect(commands.some((c) => c.file === file)).toBe(true);
    expect(
      commandsIn({ file: 'x', line: 1, text: '/usr/bin/proxmox-sleep and proxmox-sleep.service' }),
    ).toEqual([]);
  });

  it('a wrong line is caught (the check is real)', async () => {
    const [bad] = commandsIn({ file: 'x.md', line: 3, text: 'proxmox-sleep hibernate --dry-runn' });
    expect(await parses(bad)).toMatch(/^x\.md:3: proxmox-sleep hibernate --dry-runn: error: unknown option/);
    const [wrongChoice] = commandsIn({ file: 'x.md', line: 4, text: 'proxmox-sleep agent 101 suspend' });
    expect(await parses(wrongChoice)).toMatch(/value 'suspend' is invalid for argument 'action'/);
  });
});

test('every documented command line parses with the real CLI', async () => {
  const failures = (await Promise.all(commands.map(parses))).filter((f) => f !== null);
  expect(failures).toEqual([]);
});

/** Upper-case names in the docs that are not configuration keys, and why they appear. */
const NOT_KEYS = new Set([
  'PROXMOX_SLEEP_AGENT_CONFIG', // the agent's environment (agent.json's location)
  'CLOCK_MONOTONIC', // kernel clocks (sleep-wake.md)
  'CLOCK_BOOTTIME',
  'XDG_SESSION_TYPE', // the desktop session's environment (tray.md)
  'WAYLAND_DISPLAY',
  'USER_PROCESS', // a utmp record type
  'DPKG_ROOT', // dpkg's environment in the package tests
  'BENCH_SIZES', // benchmark switches (host.md)
  'BENCH_LEGACY',
  'WINDOWS_TEST_CACHE', // the Windows suite's download cache (development.md)
  'NODE_SKIP_PLATFORM_CHECK', // Node's own switch, needed under Wine
  'GRUB_CMDLINE_LINUX_DEFAULT', // /etc/default/grub in the Linux guest (install.md)
  'RESUME', // initramfs-tools' conf.d/resume in the Linux guest
  'VM_<id>_<SETTING', // the pattern itself, in prose
  'CONTAINER_<id>_<SETTING',
]);

const GLOBAL_NAMES = new Set(Object.values(GLOBAL_KEYS).map((k) => k.name));
const GUEST_SUFFIXES = new Set(Object.values(GUEST_KEYS).map((k) => k.suffix));

function knownKey(name: string): boolean {
  if (NOT_KEYS.has(name) || GLOBAL_NAMES.has(name) || name in ENV_ONLY) return true;
  if (/^(?:VM|CONTAINER)_<id>$/.test(name)) return true; // the per-guest prefix itself
  const perGuest = /^(?:VM|CONTAINER)_(?:\d+|<id>)_(.+)$/.exec(name);
  return GUEST_SUFFIXES.has(perGuest ? perGuest[1] : name);
}

test('every configuration key the docs name exists in the key table', () => {
  const unknown = code.flatMap((l) =>
    keyNamesIn(l)
      .filter((k) => !knownKey(k))
      .map((k) => `${l.file}:${l.line}: ${k}`),
  );
  expect(unknown).toEqual([]);
  expect(knownKey('IDLE_THRESHOLD_MINUTE')).toBe(false);
  expect(knownKey('VM_100_SLEEP_ACTIONS')).toBe(false);
});
