import {
  MAX_SNAPSHOT_BYTES,
  SnapshotError,
  buildSnapshot,
  formatSnapshot,
  parseSnapshot,
  powerRequestsFile,
  snapshotMaxAgeMs,
  staleness,
} from '../../../../agent-app/platform/windows/power-requests-snapshot';

const NOW = Date.UTC(2026, 10, 26, 3, 0, 0);
const bytes = (text: string) => Buffer.from(text, 'utf8');
const chrome = { who: 'chrome.exe', why: 'Playing audio', kind: 'SYSTEM' };

describe('the power-request snapshot', () => {
  it('lives in a "system" folder next to the status file', () => {
    expect(powerRequestsFile('/run/proxmox-sleep-agent/status.json')).toBe(
      '/run/proxmox-sleep-agent/system/power-requests.json',
    );
  });

  it('round-trips and is protocol-shaped', () => {
    const snapshot = buildSnapshot({
      requests: [chrome],
      now: NOW,
      intervalSeconds: 10,
      source: 'powercfg',
      error: null,
    });
    expect(JSON.parse(formatSnapshot(snapshot))).toEqual({
      schema: 1,
      written_at: '2026-11-26T03:00:00.000Z',
      interval_seconds: 10,
      source: 'powercfg',
      requests: [chrome],
      truncated: false,
      error: null,
      unavailable: false,
    });
    expect(parseSnapshot(bytes(formatSnapshot(snapshot)))).toEqual(snapshot);
  });

  it('cleans untrusted text (program names and reasons come from any process)', () => {
    const snapshot = buildSnapshot({
      requests: [{ who: 'evil\u001b[2J.exe', why: 'x'.repeat(1000), kind: 'SYSTEM\n' }],
      now: NOW,
      intervalSeconds: 10,
      source: 'powercfg',
      error: 'line one\nline two',
    });
    expect(snapshot.requests[0]).toEqual({ who: 'evil?[2J.exe', why: 'x'.repeat(200), kind: 'SYSTEM?' });
    expect(snapshot.error).toBe('line one?line two');
    expect(() => parseSnapshot(bytes(formatSnapshot(snapshot)))).not.toThrow();
    expect(parseSnapshot(bytes(formatSnapshot(snapshot)))).toEqual(snapshot);
  });

  it('caps the list at 64 and the file at 16 KiB, marking it truncated', () => {
    const many = Array.from({ length: 100 }, (_, i) => ({
      who: `${'p'.repeat(120)}${i}.exe`,
      why: 'w'.repeat(200),
      kind: 'SYSTEM',
    }));
    const snapshot = buildSnapshot({
      requests: many,
      now: NOW,
      intervalSeconds: 10,
      source: 'powercfg',
      error: null,
    });
    expect(snapshot.requests).toHaveLength(64);
    expect(snapshot.truncated).toBe(true);
    const text = formatSnapshot(snapshot);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_SNAPSHOT_BYTES);
    const parsed = parseSnapshot(bytes(text));
    expect(parsed.truncated).toBe(true);
    expect(parsed.requests.length).toBeGreaterThan(0);
    expect(parsed.requests.length).toBeLessThan(64);
  });

  it.each([
    ['{', /not UTF-8 JSON/],
    ['{"schema":2}', /^schema:/],
    [
      JSON.stringify({
        schema: 1,
        written_at: 'yesterday',
        interval_seconds: 10,
        source: 'p',
        requests: [],
        truncated: false,
        error: null,
        unavailable: false,
      }),
      /^written_at:/,
    ],
    [
      JSON.stringify({
        schema: 1,
        written_at: '2026-11-26T03:00:00Z',
        interval_seconds: 10,
        source: 'p',
        requests: [{ who: 'a\u0007', why: '', kind: 'SYSTEM' }],
        truncated: false,
        error: null,
        unavailable: false,
      }),
      /^requests\.0\.who: contains control characters/,
    ],
    [
      JSON.stringify({
        schema: 1,
        written_at: '2026-11-26T03:00:00Z',
        interval_seconds: 10,
        source: 'p',
        requests: [],
        truncated: false,
        error: null,
        unavailable: false,
        extra: 1,
      }),
      /Unrecognized key/,
    ],
  ])('refuses %s', (text, message) => {
    expect(() => parseSnapshot(bytes(text))).toThrow(SnapshotError);
    expect(() => parseSnapshot(bytes(text))).toThrow(message);
  });

  it('refuses oversized and non-UTF-8 files', () => {
    expect(() => parseSnapshot(Buffer.alloc(MAX_SNAPSHOT_BYTES + 1, 0x20))).toThrow(
      /larger than 16384 bytes/,
    );
    expect(() => parseSnapshot(Buffer.from([0x7b, 0xff, 0x7d]))).toThrow(/not UTF-8 JSON/);
  });

  describe('staleness', () => {
    const at = (ms: number, interval = 10) =>
      buildSnapshot({ requests: [], now: ms, intervalSeconds: interval, source: 'powercfg', error: null });

    it('trusts three intervals, at least 30 s', () => {
      expect(snapshotMaxAgeMs({ interval_seconds: 5 })).toBe(30_000);
      expect(snapshotMaxAgeMs({ interval_seconds: 60 })).toBe(180_000);
      expect(staleness(at(NOW), NOW + 30_000)).toBeNull();
      expect(staleness(at(NOW), NOW + 31_000)).toBe('it is 31 s old');
      expect(staleness(at(NOW, 60), NOW + 179_000)).toBeNull();
    });

    it('distrusts a file from the future (a clock set back)', () => {
      expect(staleness(at(NOW + 30_000), NOW)).toBeNull();
      expect(staleness(at(NOW + 120_000), NOW)).toBe('it is dated 120 s in the future');
    });
  });
});
