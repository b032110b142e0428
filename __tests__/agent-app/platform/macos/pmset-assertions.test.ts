import { parsePmsetAssertions, pmsetBlockers } from '../../../../agent-app/platform/macos/pmset-assertions';
import { agentFixture } from '../../../helpers/agent-fixtures';

const blockers = (name: string) => pmsetBlockers(parsePmsetAssertions(agentFixture('pmset', name)));

describe('pmset -g assertions parser (captured outputs)', () => {
  it('reads the system-wide table and every owned assertion', () => {
    const parsed = parsePmsetAssertions(agentFixture('pmset', 'mpv-powerd-display-on.txt'));
    expect(parsed.systemWide.PreventUserIdleSystemSleep).toBe(1);
    expect(parsed.systemWide.UserIsActive).toBe(1);
    expect(parsed.owned.map((a) => `${a.process}/${a.type}`)).toEqual([
      'WindowServer/UserIsActive',
      'powerd/PreventUserIdleSystemSleep',
      'powerd/InternalPreventDisplaySleep',
    ]);
  });

  it('filters powerd\'s "Prevent sleep while display is on" noise although the system-wide flag is 1', () => {
    expect(blockers('mpv-powerd-display-on.txt')).toEqual([]);
  });

  it('reports Time Machine and other owners of PreventUserIdleSystemSleep', () => {
    expect(blockers('time-machine-backup.txt')).toEqual([
      { who: 'backupd', why: 'Time Machine backup', kind: 'PreventUserIdleSystemSleep' },
      { who: 'VirtualKVM', why: 'In Target Display Mode', kind: 'PreventUserIdleSystemSleep' },
    ]);
  });

  it('counts the old NoIdleSleepAssertion name and a process name with a space', () => {
    expect(blockers('chrome-download-noidlesleep.txt')).toEqual([
      { who: 'Google Chrome', why: 'Download in progress', kind: 'NoIdleSleepAssertion' },
    ]);
  });

  it('reads the OS X 10.8 layout without process names', () => {
    expect(blockers('legacy-unnamed-pid.txt')).toEqual([
      {
        who: 'pid 1827',
        why: "com.apple.audio.'AppleHDAEngineOutput:1B,0,1,1:0'.noidlesleep",
        kind: 'PreventUserIdleSystemSleep',
      },
    ]);
  });

  it('keeps sharingd Handoff (a real assertion) and skips the timeout lines', () => {
    expect(blockers('handoff-hackintosh.txt')).toEqual([
      { who: 'sharingd', why: 'Handoff', kind: 'PreventUserIdleSystemSleep' },
    ]);
  });
});
