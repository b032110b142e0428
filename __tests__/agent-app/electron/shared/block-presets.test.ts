import { blockFromRequest } from '../../../../agent-app/core/block';
import {
  BLOCK_PRESETS,
  PRESET_LABELS,
  SET_PRESETS,
  isBlockPreset,
  morningAfter,
  presetRequest,
} from '../../../../agent-app/electron/shared/block-presets';

const local = (d: number, h: number, m = 0) => new Date(2026, 10, d, h, m).getTime();

describe('block presets', () => {
  it('offer the keep-awake choices people know, in menu order', () => {
    expect(SET_PRESETS.map((p) => PRESET_LABELS[p])).toEqual([
      '30 minutes',
      '1 hour',
      '2 hours',
      '4 hours',
      'Until tomorrow morning',
      'Until I turn it off',
    ]);
    expect(PRESET_LABELS.off).toBe('Stop blocking');
  });

  it('accept only known presets (IPC input is untrusted)', () => {
    for (const p of BLOCK_PRESETS) expect(isBlockPreset(p)).toBe(true);
    for (const bad of ['5m', '', null, 1, { for: '1h' }, 'OFF']) expect(isBlockPreset(bad)).toBe(false);
  });

  it.each([
    ['30m', 30 * 60_000],
    ['1h', 3600_000],
    ['2h', 2 * 3600_000],
    ['4h', 4 * 3600_000],
  ] as const)('%s blocks for exactly that long through the core', (preset, ms) => {
    const now = local(26, 14, 7);
    const setting = blockFromRequest(presetRequest(preset, now), now, 'tray');
    expect(setting?.until).toBe(now + ms);
  });

  it('"until I turn it off" has no end; "off" clears', () => {
    const now = local(26, 14);
    expect(blockFromRequest(presetRequest('indefinitely', now), now, 'tray')).toEqual({
      until: null,
      source: 'tray',
      setAt: now,
    });
    expect(blockFromRequest(presetRequest('off', now), now, 'tray')).toBeNull();
  });

  describe('until tomorrow morning (08:00 local)', () => {
    it.each([
      [local(26, 14, 7), local(27, 8)],
      [local(26, 23, 59), local(27, 8)],
      [local(26, 4, 0), local(27, 8)],
      [local(26, 7, 59), local(27, 8)],
      // at 2 am "tomorrow morning" is the coming morning
      [local(27, 2, 30), local(27, 8)],
      [local(27, 0, 0), local(27, 8)],
    ])('at %p ends %p', (now, end) => {
      expect(morningAfter(now)).toBe(end);
      expect(blockFromRequest(presetRequest('morning', now), now, 'tray')?.until).toBe(end);
    });

    it('crosses a month end', () => {
      const now = new Date(2026, 10, 30, 20, 0).getTime();
      expect(morningAfter(now)).toBe(new Date(2026, 11, 1, 8, 0).getTime());
    });
  });
});
