import { sleepBlockers } from '../../../../agent-app/platform/linux/logind';
import { parseSystemdInhibitList } from '../../../../common/linux/systemd-inhibit';
import { agentFixture } from '../../../helpers/agent-fixtures';

describe('systemd-inhibit --list parser (captured outputs)', () => {
  it('parses the table anchored on UID/PID and WHAT', () => {
    const rows = parseSystemdInhibitList(agentFixture('systemd-inhibit', 'cinnamon-table.txt'));
    expect(rows).toEqual([
      {
        who: 'ModemManager',
        uid: 0,
        pid: 898,
        what: 'sleep',
        why: 'ModemManager needs to reset devices',
        mode: 'delay',
      },
      {
        who: 'NetworkManager',
        uid: 0,
        pid: 776,
        what: 'sleep',
        why: 'NetworkManager needs to turn off networks',
        mode: 'delay',
      },
      { who: 'UPower', uid: 0, pid: 2882, what: 'sleep', why: 'Pause device polling', mode: 'delay' },
      {
        who: 'nikolay',
        uid: 1000,
        pid: 6866,
        what: 'handle-lid-switch',
        why: 'Multiple displays attached',
        mode: 'block',
      },
    ]);
    expect(sleepBlockers(rows)).toEqual([]);
  });

  it('counts only block locks on sleep', () => {
    const rows = parseSystemdInhibitList(
      agentFixture('systemd-inhibit', 'cinnamon-table-with-sleep-block.txt'),
    );
    expect(rows).toHaveLength(6);
    expect(sleepBlockers(rows)).toEqual([{ who: 'nikolay', why: 'Not Responding', kind: 'sleep' }]);
  });

  it('keeps an ellipsized WHY', () => {
    expect(parseSystemdInhibitList(agentFixture('systemd-inhibit', 'libvirt-ellipsized.txt'))).toEqual([
      { who: 'Libvirt', uid: 0, pid: 212603, what: 'shutdown', why: 'Virt…', mode: 'delay' },
    ]);
  });

  it('parses the older Who/What/Why/Mode blocks', () => {
    const rows = parseSystemdInhibitList(agentFixture('systemd-inhibit', 'cinnamon-blocks-old-format.txt'));
    expect(rows.map((r) => [r.who, r.uid, r.pid, r.what, r.mode])).toEqual([
      ['NetworkManager', 0, 306, 'sleep', 'delay'],
      ['marcin', 1000, 937, 'handle-lid-switch', 'block'],
      ['marcin', 1000, 937, 'sleep', 'delay'],
      ['marcin', 1000, 937, 'handle-power-key:handle-suspend-key:handle-hibernate-key', 'block'],
    ]);
    expect(sleepBlockers(rows)).toEqual([]);
  });
});
