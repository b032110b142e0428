import { buildPageModel } from '../../../../agent-app/electron/shared/view-model';
import { StatusSchema } from '../../../../protocol';
import { SAMPLE_NOW, samples } from '../../../../scripts/tray/sample-snapshots';

describe('the status window model', () => {
  it('every sample status is a valid protocol document', () => {
    for (const make of Object.values(samples)) {
      const { status } = make();
      if (status) expect(StatusSchema.safeParse(status).success).toBe(true);
    }
  });

  it('active: verdict, every reason, checks with state and detail', () => {
    const model = buildPageModel(samples.active());
    expect(model.state).toBe('active');
    expect(model.headline).toBe('This computer is in use: the host stays awake');
    expect(model.line).toBe('Active: GPU 85 %, keyboard/mouse used 12 s ago');
    expect(model.updated).toBe('updated 3 s ago · sent to the host every 10 s (#1842)');
    expect(model.identity).toBe('gaming-pc · tray 2.0.0 · windows');
    expect(model.checks.map((c) => [c.label, c.state])).toEqual([
      ['Keyboard and mouse', 'active'],
      ['GPU', 'active'],
      ['Power requests', 'idle'],
      ['Watched programs', 'idle'],
      ['CPU', 'unknown'],
    ]);
    expect(model.block).toEqual({ active: false, text: null });
    expect(model.warning).toBeNull();
  });

  it('the chart: bands as fractions of the hour, legend in whole minutes', () => {
    const model = buildPageModel(samples.active());
    expect(model.chart.segments.map((s) => [s.state, +s.start.toFixed(4), +s.width.toFixed(4)])).toEqual([
      ['none', 0, 0.0833],
      ['idle', 0.0833, 0.2667],
      ['active', 0.35, 0.2833],
      ['blocked', 0.6333, 0.15],
      ['active', 0.7833, 0.2167],
    ]);
    expect(model.chart.segments[3].title).toBe('sleep blocked: 9 min');
    expect(model.chart.legend).toEqual([
      { state: 'idle', label: 'idle', minutes: 16 },
      { state: 'active', label: 'in use', minutes: 30 },
      { state: 'blocked', label: 'sleep blocked', minutes: 9 },
      { state: 'none', label: 'no data', minutes: 5 },
    ]);
    expect(model.chart.ticks.map((t) => t.label)).toEqual([
      '60 min ago',
      '45 min',
      '30 min',
      '15 min',
      'now',
    ]);
  });

  it('idle', () => {
    const model = buildPageModel(samples.idle());
    expect(model.state).toBe('idle');
    expect(model.line).toBe('Idle 12 min — host may sleep');
    expect(model.facts).toContainEqual({ label: 'Idle for', value: '12 min' });
    expect(model.facts).toContainEqual({ label: 'Input idle from', value: 'electron' });
  });

  it("shows the guest's next wake request when there is one", () => {
    const idle = samples.idle();
    expect(buildPageModel(idle).facts.map((f) => f.label)).not.toContain('Next wake requested');
    const tomorrow = new Date(SAMPLE_NOW);
    tomorrow.setDate(tomorrow.getDate() + 1);
    tomorrow.setHours(6, 30, 0, 0);
    const model = buildPageModel({
      ...idle,
      status: { ...idle.status!, next_wake_at: tomorrow.toISOString() },
    });
    expect(model.facts).toContainEqual({ label: 'Next wake requested', value: 'tomorrow 06:30' });
  });

  it('blocked until a time, with the countdown', () => {
    const model = buildPageModel(samples.blockedUntil());
    expect(model.state).toBe('blocked');
    expect(model.block).toEqual({ active: true, text: 'Blocked until 15:30 — 1 h 23 min left' });
    expect(model.facts).toContainEqual({ label: 'Block set by', value: 'tray' });
    // a minute later
    expect(buildPageModel({ ...samples.blockedUntil(), now: SAMPLE_NOW + 60_000 }).block.text).toBe(
      'Blocked until 15:30 — 1 h 22 min left',
    );
  });

  it('blocked until turned off', () => {
    const model = buildPageModel(samples.blockedIndefinitely());
    expect(model.block.text).toBe('Blocked until you turn it off');
    expect(model.headline).toBe('This computer keeps the host awake: sleep is blocked');
  });

  it('waiting and starting', () => {
    const waiting = buildPageModel(samples.waiting());
    expect(waiting.state).toBe('starting');
    expect(waiting.updated).toBe('waiting for the first check');
    expect(waiting.checks).toEqual([]);
    expect(buildPageModel(samples.starting()).state).toBe('starting');
  });

  it('a status file that cannot be written is a warning', () => {
    expect(buildPageModel(samples.writeError()).warning).toMatch(
      /^The host cannot see this computer's status: EPERM/,
    );
  });

  it('offers the presets', () => {
    expect(buildPageModel(samples.idle()).presets.map((p) => p.preset)).toEqual([
      '30m',
      '1h',
      '2h',
      '4h',
      'morning',
      'indefinitely',
    ]);
  });
});
