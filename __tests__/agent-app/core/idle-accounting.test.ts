import {
  accountFromPrevious,
  advanceIdle,
  freshAccount,
  type IdleAccount,
} from '../../../agent-app/core/idle-accounting';

const GAP = 25_000;

function run(steps: [idle: boolean, at: number][], start: IdleAccount = freshAccount()): number[] {
  let account = start;
  return steps.map(([idle, at]) => {
    const step = advanceIdle(account, idle, at, GAP);
    account = step.account;
    return step.idleSeconds;
  });
}

describe('idle accounting', () => {
  it('counts from the first idle evaluation, never earlier', () => {
    expect(
      run([
        [true, 0],
        [true, 10_000],
        [true, 20_000],
        [true, 30_500],
      ]),
    ).toEqual([0, 10, 20, 30]);
  });

  it('restarts at 0 after any activity', () => {
    expect(
      run([
        [true, 0],
        [true, 10_000],
        [false, 20_000],
        [true, 30_000],
        [true, 40_000],
      ]),
    ).toEqual([0, 10, 0, 0, 10]);
  });

  it('leaves an unobserved gap out (agent stopped, guest suspended, clock jumped forward)', () => {
    expect(
      run([
        [true, 0],
        [true, 10_000],
        [true, 20_000],
        [true, 3_600_000],
        [true, 3_610_000],
      ]),
    ).toEqual([0, 10, 20, 20, 30]);
  });

  it('survives the clock going backwards without claiming time', () => {
    expect(
      run([
        [true, 100_000],
        [true, 110_000],
        [true, 50_000],
        [true, 60_000],
      ]),
    ).toEqual([0, 10, 10, 20]);
  });

  it('continues a previous agent only when it is safe', () => {
    const previous = { idle: true, idleSeconds: 600, writtenAt: 1_000_000 };
    const boot = 0;
    // Restarted 5 s later: the 600 s the old agent observed continue; the 5 s gap does not count.
    expect(
      run(
        [
          [true, 1_005_000],
          [true, 1_015_000],
        ],
        accountFromPrevious(previous, 1_005_000, GAP, boot),
      ),
    ).toEqual([600, 610]);
    // Too old, from before this boot, in the future, or not idle: start from zero.
    expect(accountFromPrevious(previous, 1_000_000 + GAP + 1, GAP, boot)).toEqual(freshAccount());
    expect(accountFromPrevious(previous, 1_005_000, GAP, 1_002_000)).toEqual(freshAccount());
    expect(accountFromPrevious(previous, 990_000, GAP, boot)).toEqual(freshAccount());
    expect(accountFromPrevious({ ...previous, idle: false }, 1_005_000, GAP, boot)).toEqual(freshAccount());
    expect(accountFromPrevious(null, 1_005_000, GAP, boot)).toEqual(freshAccount());
  });

  it('drops a carried streak when the first evaluation is active', () => {
    const start = accountFromPrevious({ idle: true, idleSeconds: 600, writtenAt: 0 }, 1000, GAP, null);
    expect(
      run(
        [
          [false, 1000],
          [true, 11_000],
          [true, 21_000],
        ],
        start,
      ),
    ).toEqual([0, 0, 10]);
  });
});
