import {
  parsePowercfgRequests,
  powercfgBlockers,
} from '../../../../agent-app/platform/windows/powercfg-requests';
import { agentFixture, crlf } from '../../../helpers/agent-fixtures';

const both = (name: string) => [agentFixture('powercfg', name), crlf(agentFixture('powercfg', name))];

describe('powercfg /requests parser (captured outputs)', () => {
  it.each(both('telegram-audio-stream-wrapped.txt'))(
    'joins a wrapped driver line and keeps its reason',
    (text) => {
      const entries = parsePowercfgRequests(text);
      expect(entries).toEqual([
        {
          section: 'SYSTEM',
          type: 'DRIVER',
          name: 'Realtek High Definition Audio (HDAUDIO\\FUNC_01&VEN_10EC&DEV_0668&SUBSYS_102805FD&REV_1000\\4&325a6d8c&0&0001)',
          reason: 'An audio stream is currently in use.',
        },
      ]);
      expect(powercfgBlockers(entries)).toEqual([
        {
          who: 'Realtek High Definition Audio (HDAUDIO\\FUNC_01&VEN_10EC&DEV_0668&SUBSYS_102805FD&REV_1000\\4&325a6d8c&0&0001)',
          why: 'An audio stream is currently in use.',
          kind: 'SYSTEM',
        },
      ]);
    },
  );

  it.each(both('autowall-mpv.txt'))(
    'names a process by its image file and counts DISPLAY and SYSTEM',
    (text) => {
      expect(powercfgBlockers(parsePowercfgRequests(text))).toEqual([
        { who: 'mpv.exe', why: '', kind: 'DISPLAY' },
        { who: 'mpv.exe', why: '', kind: 'SYSTEM' },
      ]);
    },
  );

  it.each(both('home-assistant-video-wake-lock.txt'))(
    'counts a video wake lock, ignores EXECUTION',
    (text) => {
      const entries = parsePowercfgRequests(text);
      expect(entries.map((e) => [e.section, e.reason])).toEqual([
        ['DISPLAY', 'Video Wake Lock'],
        ['EXECUTION', 'WebRTC has active PeerConnections'],
      ]);
      expect(powercfgBlockers(entries)).toEqual([
        { who: 'Home Assistant Desktop.exe', why: 'Video Wake Lock', kind: 'DISPLAY' },
      ]);
    },
  );

  it.each(both('elpis-usb-audio-legacy-kernel-caller.txt'))(
    'drops the "Legacy Kernel Caller" noise',
    (text) => {
      const entries = parsePowercfgRequests(text);
      expect(entries).toHaveLength(2);
      expect(powercfgBlockers(entries).map((r) => r.who)).toEqual([
        'USB Audio Device (USB\\VID_0C76&PID_161F&MI_00\\9&9127e02&0&0000)',
      ]);
    },
  );

  it.each(both('mumble-closed-all-none.txt'))('reads "None." everywhere as no request', (text) => {
    expect(parsePowercfgRequests(text)).toEqual([]);
  });

  it('drops "Sleep Idle State Disabled" (the second known noise line) and ignores a localised "None."', () => {
    const text = 'SYSTEM:\r\n[DRIVER] Sleep Idle State Disabled\r\n\r\nDISPLAY:\r\nKeine.\r\n';
    expect(parsePowercfgRequests(text)).toHaveLength(1);
    expect(powercfgBlockers(parsePowercfgRequests(text))).toEqual([]);
  });
});
