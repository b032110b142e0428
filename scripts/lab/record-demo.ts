/**
 * `npm run gen:lab-recording`: runs the real lab demo once (what `npm start` shows) and keeps its terminal
 * frames, then writes docs/images/lab-demo.png (two real frames rendered by headless Chromium: the guests
 * busy, and the end of the cycle with the summary) and docs/images/lab-demo.txt (the plain transcript of the
 * same run: every log line and the summary).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { PassThrough } from 'stream';
import { terminalPage } from '../../lab/demo/ansi-html';
import { hasQemuGa } from '../../lab/demo/cli';
import { formatLine } from '../../lab/demo/render';
import { runDemo } from '../../lab/demo/run';
import { readJsonLines } from '../../lab/pve/state';
import { launchChromium } from '../tray/status-page-harness';
import { repoRoot } from '../../lab/qemu/repo-root';

interface Frame {
  at: number;
  phase: string;
  lines: string[];
}

export async function recordDemo(outDir: string): Promise<{ png: string; transcript: string; ok: boolean }> {
  if (!hasQemuGa()) throw new Error('the recording needs qemu-ga (apt install qemu-guest-agent)');
  const work = mkdtempSync(path.join(tmpdir(), 'lab-recording-'));
  const framesFile = path.join(work, 'frames.jsonl');
  try {
    const result = await runDemo({
      keepRunning: false,
      transport: 'qga',
      tty: true,
      out: new PassThrough().resume(),
      recordFrames: framesFile,
      interrupted: new Promise<string>(() => undefined),
    });
    const frames = readJsonLines<Frame>(framesFile);
    if (frames.length === 0) throw new Error(`the demo recorded no readable frames in ${framesFile}`);
    const busy = frames.find((f) => f.at >= 5000) ?? frames[0];
    const last = frames[frames.length - 1];
    const html = terminalPage([
      {
        caption: `npm start — ${(busy.at / 1000).toFixed(0)} s in: the guests are busy, the host stays awake`,
        lines: busy.lines,
      },
      { caption: 'npm start — one full cycle later', lines: [...last.lines, '', ...result.summary] },
    ]);
    const browser = await launchChromium();
    const png = path.join(outDir, 'lab-demo.png');
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
      await page.setContent(html);
      await page.locator('body').screenshot({ path: png });
    } finally {
      await browser.close();
    }
    const state = result.state;
    const transcript = path.join(outDir, 'lab-demo.txt');
    writeFileSync(
      transcript,
      [
        '$ npm start',
        ...[...state.lines].sort((a, b) => a.at - b.at).map((l) => formatLine(l, state.t0)),
        '',
        ...result.summary,
        '',
      ].join('\n'),
    );
    return { png, transcript, ok: result.code === 0 };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  recordDemo(path.join(repoRoot(), 'docs', 'images')).then(
    (r) => {
      console.log(
        `wrote ${r.png} and ${r.transcript}${r.ok ? '' : ' (the demo did NOT complete its cycle)'}`,
      );
      if (!r.ok) process.exitCode = 1;
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
