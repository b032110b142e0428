import {
  BlockArgumentError,
  blockFromRequest,
  blockState,
  describeBlock,
  parseDuration,
  parseUntil,
} from '../../../agent-app/core/block';
import { SimulatedClock } from '../../../common/clock';

const NOW = new Date(2026, 10, 26, 21, 30, 0, 0).getTime(); // 21:30 local time

describe('block durations', () => {
  it.each([
    ['90s', 90_000],
    ['45m', 2_700_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2 hours', 7_200_000],
    ['1d', 86_400_000],
    ['1.5h', 5_400_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each([
    ['90', /add a unit/],
    ['', /not a duration/],
    ['1x', /unknown unit "x"/],
    ['0m', /longer than zero/],
    ['400d', /longer than a year/],
    ['1h junk', /not a duration/],
  ])('refuses %j', (text, message) => {
    expect(() => parseDuration(text)).toThrow(BlockArgumentError);
    expect(() => parseDuration(text)).toThrow(message);
  });
});

describe('block end times', () => {
  it('takes HH:MM as the next such local time', () => {
    expect(parseUntil('23:00', NOW)).toBe(new Date(2026, 10, 26, 23, 0, 0, 0).getTime());
    expect(parseUntil('08:00', NOW)).toBe(new Date(2026, 10, 27, 8, 0, 0, 0).getTime());
    expect(parseUntil('21:30', NOW)).toBe(new Date(2026, 10, 27, 21, 30, 0, 0).getTime());
  });

  it('accepts a local date and time and an ISO time with offset', () => {
    expect(parseUntil('2026-11-28 07:15', NOW)).toBe(new Date(2026, 10, 28, 7, 15, 0, 0).getTime());
    expect(parseUntil('2026-11-28T07:15:00Z', NOW)).toBe(Date.UTC(2026, 10, 28, 7, 15, 0));
  });

  it.each([
    ['24:00', /time of day/],
    ['2026-02-30 10:00', /not a valid date/],
    ['2020-01-01 10:00', /in the past/],
    ['tomorrow', /not a time/],
    ['2030-01-01T00:00:00Z', /more than a year/],
  ])('refuses %j', (text, message) => expect(() => parseUntil(text, NOW)).toThrow(message));
});

describe('block override', () => {
  it('for a duration: active until the end, then inactive by itself', async () => {
    const clock = new SimulatedClock(NOW);
    const setting = blockFromRequest({ for: '1h' }, clock.now(), 'cli');
    expect(blockState(setting, clock.now())).toEqual({
      active: true,
      until: new Date(NOW + 3_600_000).toISOString(),
      source: 'cli',
    });
    await clock.advance(3_599_999);
    expect(blockState(setting, clock.now()).active).toBe(true);
    await clock.advance(1);
    expect(blockState(setting, clock.now())).toEqual({ active: false, until: null, source: null });
  });

  it('indefinitely has no end; off clears', () => {
    const forever = blockFromRequest({ indefinitely: true }, NOW, 'tray');
    expect(blockState(forever, NOW + 10 * 365 * 86_400_000)).toEqual({
      active: true,
      until: null,
      source: 'tray',
    });
    expect(blockFromRequest({ off: true }, NOW, 'cli')).toBeNull();
    expect(describeBlock(forever)).toBe('Sleep blocked indefinitely');
    expect(describeBlock(null)).toBe('Sleep block cleared');
  });
});

describe('block store', () => {
  it('never writes through a link planted where its state folder should be', async () => {
    const { mkdtempSync, mkdirSync, symlinkSync, existsSync } = await import('fs');
    const { tmpdir } = await import('os');
    const path = await import('path');
    const { createBlockStore } = await import('../../../agent-app/core/block-store');
    const root = mkdtempSync(path.join(tmpdir(), 'block-store-'));
    const victim = path.join(root, 'victim');
    mkdirSync(victim);
    symlinkSync(victim, path.join(root, 'state'));
    const store = createBlockStore(path.join(root, 'state'));
    await expect(store.write({ until: null, source: 'cli', setAt: 0 })).rejects.toThrow(
      /symbolic link or junction/,
    );
    expect(existsSync(path.join(victim, 'block.json'))).toBe(false);
  });
});
