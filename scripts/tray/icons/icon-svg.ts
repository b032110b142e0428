/**
 * The one source of every icon: the three tray glyphs (idle = moon, active = sun, blocked = coffee cup, as
 * keep-awake tools use it) drawn on a 16-unit grid, and the app icon built from the moon. The generator
 * renders these SVGs at every size; nothing is drawn by hand elsewhere.
 */
import type { TrayState } from '../../../agent-app/electron/shared/describe';

export const STATE_COLORS: Record<TrayState, string> = {
  idle: '#3b82f6',
  active: '#f59e0b',
  blocked: '#8b5cf6',
};

/** The crescent: a disc with a second, offset disc cut out of it. */
function moon(id: string, cx: number, cy: number, r: number): string {
  const f = (n: number) => Number(n.toFixed(3));
  return (
    `<mask id="${id}" maskUnits="userSpaceOnUse" x="${f(cx - r - 1)}" y="${f(cy - r - 1)}" width="${f(2 * r + 2)}" height="${f(2 * r + 2)}">` +
    `<rect x="${f(cx - r - 1)}" y="${f(cy - r - 1)}" width="${f(2 * r + 2)}" height="${f(2 * r + 2)}" fill="#fff"/>` +
    `<circle cx="${f(cx + r * 0.5)}" cy="${f(cy - r * 0.45)}" r="${f(r * 0.78)}" fill="#000"/></mask>` +
    `<circle cx="${cx}" cy="${cy}" r="${r}" mask="url(#${id})"/>`
  );
}

function glyph(state: TrayState): string {
  if (state === 'idle') return moon('moon', 7.5, 8.5, 6.5);
  if (state === 'active') {
    const rays = Array.from({ length: 8 }, (_, i) => {
      const a = (i * Math.PI) / 4;
      const p = (r: number) => `${(8 + r * Math.cos(a)).toFixed(2)} ${(8 + r * Math.sin(a)).toFixed(2)}`;
      return `M ${p(5.4)} L ${p(7)}`;
    }).join(' ');
    return `<circle cx="8" cy="8" r="3"/><path d="${rays}" fill="none" stroke-width="2" stroke-linecap="round"/>`;
  }
  // blocked: a cup with a handle and two wisps of steam
  return (
    '<path d="M 2 6.5 H 11 V 10.5 A 3 3 0 0 1 8 13.5 H 5 A 3 3 0 0 1 2 10.5 Z"/>' +
    '<path d="M 11 7.6 H 12.2 A 1.9 1.9 0 0 1 12.2 11.4 H 10.6" fill="none" stroke-width="1.5"/>' +
    '<path d="M 4.8 1.6 Q 4 2.7 4.8 3.8 T 4.8 5.2 M 8.2 1.6 Q 7.4 2.7 8.2 3.8 T 8.2 5.2" fill="none" stroke-width="1.3" stroke-linecap="round"/>'
  );
}

/** A tray icon: coloured for Windows and Linux, black (+ alpha) as a macOS template image. */
export function traySvg(state: TrayState, template: boolean): string {
  const color = template ? '#000000' : STATE_COLORS[state];
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">` +
    `<g fill="${color}" stroke="${color}" stroke-width="0">${glyph(state)}</g></svg>\n`
  );
}

/** The app icon (installers, window): the moon on a deep blue tile, with two stars. */
export function appSvg(): string {
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024" viewBox="0 0 1024 1024">' +
    '<defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">' +
    '<stop offset="0" stop-color="#2b4fb8"/><stop offset="1" stop-color="#0f1a3d"/></linearGradient></defs>' +
    '<rect x="80" y="80" width="864" height="864" rx="196" fill="url(#bg)"/>' +
    `<g fill="#dbe7ff" transform="translate(150 130) scale(46)">${moon('moon', 7.5, 8.5, 6.2)}</g>` +
    '<circle cx="742" cy="300" r="30" fill="#ffe8a3"/><circle cx="806" cy="430" r="17" fill="#ffe8a3"/>' +
    '</svg>\n'
  );
}
