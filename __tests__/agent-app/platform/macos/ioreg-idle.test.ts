import { parseIoregHidIdle } from '../../../../agent-app/platform/macos/ioreg-idle';
import { agentFixture } from '../../../helpers/agent-fixtures';

describe('ioreg -c IOHIDSystem parser', () => {
  it('converts HIDIdleTime from nanoseconds to seconds', () => {
    expect(parseIoregHidIdle(agentFixture('ioreg', 'apple-silicon-tree.txt'))).toBeCloseTo(0.41225, 5);
  });

  it('takes the most recent input when several IOHIDSystem entries exist', () => {
    expect(parseIoregHidIdle(agentFixture('ioreg', 'intel-two-entries-idle.txt'))).toBeCloseTo(905.1185, 3);
  });

  it('gives no reading (not zero) without the property', () => {
    expect(
      parseIoregHidIdle('+-o IOHIDSystem  <class IOHIDSystem>\n  {\n    "IOClass" = "IOHIDSystem"\n  }\n'),
    ).toBeNull();
    expect(parseIoregHidIdle('')).toBeNull();
  });
});
