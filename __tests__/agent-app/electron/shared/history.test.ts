import fc from 'fast-check';
import {
  historyBands,
  minutesByState,
  recordSample,
  type HistorySample,
} from '../../../../agent-app/electron/shared/history';

const MIN = 60_000;
const NOW = Date.UTC(2026, 10, 26, 14, 0, 0);

describe('recordSample', () => {
  it('keeps an hour plus the sample that covers the window start', () => {
    let samples: HistorySample[] = [];
    for (let t = NOW - 90 * MIN; t <= NOW; t += 10 * MIN)
      samples = recordSample(samples, { at: t, state: 'idle' });
    expect(samples.map((s) => (NOW - s.at) / MIN)).toEqual([60, 50, 40, 30, 20, 10, 0]);
  });

  it('restarts when the clock goes back', () => {
    const samples = recordSample([{ at: NOW, state: 'idle' }], { at: NOW - 5 * MIN, state: 'active' });
    expect(samples).toEqual([{ at: NOW - 5 * MIN, state: 'active' }]);
  });
});

describe('historyBands', () => {
  const gap = 30_000;

  it('is one "none" band without samples', () => {
    expect(historyBands([], NOW, gap)).toEqual([{ from: NOW - 60 * MIN, to: NOW, state: 'none' }]);
  });

  it('merges runs of one state and shows silences longer than the gap as none', () => {
    const samples: HistorySample[] = [];
    for (let t = NOW - 50 * MIN; t < NOW - 30 * MIN; t += 10_000) samples.push({ at: t, state: 'idle' });
    // the computer slept for 10 minutes
    for (let t = NOW - 20 * MIN; t < NOW - 10 * MIN; t += 10_000) samples.push({ at: t, state: 'active' });
    for (let t = NOW - 10 * MIN; t <= NOW; t += 10_000) samples.push({ at: t, state: 'blocked' });
    const bands = historyBands(samples, NOW, gap);
    expect(bands.map((b) => [b.state, Math.round((b.to - b.from) / 1000)])).toEqual([
      ['none', 600],
      ['idle', 20 * 60 - 10 + 30],
      ['none', 600 - 20],
      ['active', 600],
      ['blocked', 600],
    ]);
    expect(bands[0].from).toBe(NOW - 60 * MIN);
    expect(bands[bands.length - 1].to).toBe(NOW);
  });

  it('clips a sample from before the window', () => {
    const bands = historyBands(
      [
        { at: NOW - 61 * MIN, state: 'idle' },
        { at: NOW - 60 * MIN + 5000, state: 'idle' },
      ],
      NOW,
      2 * MIN,
    );
    expect(bands[0]).toEqual({ from: NOW - 60 * MIN, to: NOW - 60 * MIN + 5000 + 2 * MIN, state: 'idle' });
  });

  it('always tiles the hour exactly, without overlaps (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            offset: fc.integer({ min: 0, max: 90 * 60 }),
            state: fc.constantFrom('idle' as const, 'active' as const, 'blocked' as const),
          }),
          { maxLength: 60 },
        ),
        fc.integer({ min: 1000, max: 10 * MIN }),
        (raw, maxGap) => {
          const samples = raw
            .map((r) => ({ at: NOW - r.offset * 1000, state: r.state }))
            .sort((a, b) => a.at - b.at);
          const bands = historyBands(samples, NOW, maxGap);
          expect(bands[0].from).toBe(NOW - 60 * MIN);
          expect(bands[bands.length - 1].to).toBe(NOW);
          for (let i = 1; i < bands.length; i++) {
            expect(bands[i].from).toBe(bands[i - 1].to);
            expect(bands[i].state).not.toBe(bands[i - 1].state);
          }
          const minutes = minutesByState(bands);
          expect(
            Math.abs(minutes.idle + minutes.active + minutes.blocked + minutes.none - 60),
          ).toBeLessThanOrEqual(2);
        },
      ),
    );
  });
});
