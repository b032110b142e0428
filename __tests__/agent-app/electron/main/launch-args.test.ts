import { blockFromRequest } from '../../../../agent-app/core/block';
import { blockRequestFromArg, parseLaunchArgs } from '../../../../agent-app/electron/main/launch-args';

describe('parseLaunchArgs', () => {
  it('finds our flags among Chromium switches and the app path', () => {
    expect(
      parseLaunchArgs([
        '/opt/Proxmox Sleep Agent/proxmox-sleep-tray',
        '--no-sandbox',
        '--status',
        '--block',
        '2h',
        '--enable-features=WaylandWindowDecorations',
        '--hibernate',
        '--block=off',
      ]),
    ).toEqual([
      { kind: 'status' },
      { kind: 'block', value: '2h' },
      { kind: 'hibernate' },
      { kind: 'block', value: 'off' },
    ]);
  });

  it('a --block without a value is a usage message', () => {
    expect(parseLaunchArgs(['x', '--block'])).toEqual([
      { kind: 'usage', message: expect.stringMatching(/^--block needs a value/) },
    ]);
    expect(parseLaunchArgs(['x', '--block', '--status'])[0].kind).toBe('usage');
    expect(parseLaunchArgs(['x', '--block='])[0].kind).toBe('usage');
  });

  it('nothing to do without flags', () => expect(parseLaunchArgs(['x', '.'])).toEqual([]));
});

describe('blockRequestFromArg', () => {
  const now = new Date(2026, 10, 26, 14, 0).getTime();
  it.each([
    ['off', { off: true }],
    ['stop', { off: true }],
    ['indefinitely', { indefinitely: true }],
    ['forever', { indefinitely: true }],
    ['23:00', { until: '23:00' }],
    ['2026-11-27 08:00', { until: '2026-11-27 08:00' }],
    ['1h30m', { for: '1h30m' }],
    ['morning', { until: '2026-11-27 08:00' }],
  ])('%s → %p', (value, request) => expect(blockRequestFromArg(value, now)).toEqual(request));

  it('the core checks what it gets', () => {
    expect(blockFromRequest(blockRequestFromArg('90m', now), now, 'cli')?.until).toBe(now + 90 * 60_000);
    expect(() => blockFromRequest(blockRequestFromArg('soon', now), now, 'cli')).toThrow(/not a duration/);
  });
});
