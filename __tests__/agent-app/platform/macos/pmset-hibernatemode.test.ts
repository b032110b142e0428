import {
  HIBERNATE_FIX,
  assessHibernateMode,
  parsePmsetSettings,
} from '../../../../agent-app/platform/macos/pmset-hibernatemode';
import { agentFixture } from '../../../helpers/agent-fixtures';

describe('pmset -g (captured outputs)', () => {
  it('reads the settings in use, including keys with spaces and values with a note', () => {
    const settings = parsePmsetSettings(agentFixture('pmset-g', 'hibernatemode-25-sleep-prevented.txt'));
    expect(settings.get('hibernatemode')).toBe('25');
    expect(settings.get('sleep')).toBe('0');
    expect(settings.get('Sleep On Power Button')).toBe('1');
    expect(assessHibernateMode(settings)).toEqual({
      name: 'hibernatemode',
      verdict: 'ok',
      evidence: 'hibernatemode 25: pmset sleepnow writes /var/vm/sleepimage and powers off',
      fix: null,
    });
  });

  it("a desktop's default 0 is a problem with the fix", () => {
    const check = assessHibernateMode(
      parsePmsetSettings(agentFixture('pmset-g', 'desktop-hibernatemode-0.txt')),
    );
    expect(check).toMatchObject({ verdict: 'problem', fix: HIBERNATE_FIX });
    expect(check.evidence).toBe(
      'hibernatemode 0 (sleep to memory only): pmset sleepnow would not power the VM off',
    );
  });

  it('a laptop\'s 3 too, and settings above "Currently in use:" are not read as in use', () => {
    const settings = parsePmsetSettings(agentFixture('pmset-g', 'laptop-hibernatemode-3-filevault.txt'));
    expect(settings.has('DestroyFVKeyOnStandby')).toBe(false);
    expect(settings.get('hibernatemode')).toBe('3');
    expect(assessHibernateMode(settings).verdict).toBe('problem');
  });

  it('no hibernatemode line at all is a problem', () => {
    expect(assessHibernateMode(parsePmsetSettings('System-wide power settings:\n')).verdict).toBe('problem');
  });
});
