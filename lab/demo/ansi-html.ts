/**
 * Terminal lines with the SGR codes the demo's view uses (bold, dim, inverse, foreground colours) as HTML,
 * so a real frame can be rendered by a browser for the README's picture. Everything else is escaped text.
 */

const COLORS: Record<number, string> = {
  30: '#1d1f21',
  31: '#e0675d',
  32: '#8fc76b',
  33: '#e8c15a',
  34: '#6fa8dc',
  35: '#c397d8',
  36: '#70c0c8',
  37: '#e6e6e6',
};

interface Style {
  bold: boolean;
  dim: boolean;
  inverse: boolean;
  color: number | null;
}

const PLAIN: Style = { bold: false, dim: false, inverse: false, color: null };

const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function apply(style: Style, codes: number[]): Style {
  let s = { ...style };
  for (const c of codes.length ? codes : [0]) {
    if (c === 0) s = { ...PLAIN };
    else if (c === 1) s.bold = true;
    else if (c === 2) s.dim = true;
    else if (c === 7) s.inverse = true;
    else if (c === 22) s = { ...s, bold: false, dim: false };
    else if (c === 27) s.inverse = false;
    else if (c === 39) s.color = null;
    else if (COLORS[c]) s.color = c;
  }
  return s;
}

function open(style: Style, fg: string, bg: string): string {
  const css: string[] = [];
  const color = style.color !== null ? COLORS[style.color] : fg;
  if (style.inverse) css.push(`color:${bg}`, `background:${color}`);
  else if (style.color !== null) css.push(`color:${color}`);
  if (style.bold) css.push('font-weight:bold');
  if (style.dim) css.push('opacity:0.6');
  return css.length ? `<span style="${css.join(';')}">` : '<span>';
}

/** One line of terminal text as HTML (SGR codes become styles; other escape sequences are dropped). */
export function ansiLineToHtml(line: string, fg = '#e6e6e6', bg = '#1d1f21'): string {
  let style = { ...PLAIN };
  let html = '';
  const re = /\x1b\[([0-9;]*)([A-Za-z])/g;
  let last = 0;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    html += `${open(style, fg, bg)}${escape(line.slice(last, m.index))}</span>`;
    if (m[2] === 'm') style = apply(style, m[1] ? m[1].split(';').map(Number) : []);
    last = re.lastIndex;
  }
  html += `${open(style, fg, bg)}${escape(line.slice(last))}</span>`;
  return html.replace(/<span><\/span>|<span style="[^"]*"><\/span>/g, '');
}

/** A terminal window (title bar, dark background, monospace) holding `lines`, as one HTML page. */
export function terminalPage(panels: { caption: string; lines: string[] }[]): string {
  const body = panels
    .map(
      (p) =>
        `<figure><figcaption>${escape(p.caption)}</figcaption><div class="term"><div class="bar"><i></i><i></i><i></i></div><pre>${p.lines
          .map((l) => ansiLineToHtml(l))
          .join('\n')}</pre></div></figure>`,
    )
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; padding: 16px; background: #f4f4f4; font-family: sans-serif; display: inline-block; }
figure { margin: 0 0 16px 0; }
figcaption { font-size: 14px; color: #333; margin: 0 0 6px 4px; }
.term { background: #1d1f21; border-radius: 8px; box-shadow: 0 2px 8px rgba(0,0,0,.3); overflow: hidden; }
.bar { height: 24px; background: #3a3d41; display: flex; align-items: center; padding-left: 10px; gap: 7px; }
.bar i { width: 11px; height: 11px; border-radius: 50%; background: #6b6e72; display: inline-block; }
pre { margin: 0; padding: 12px 16px 14px; color: #e6e6e6; font: 13px/1.35 "DejaVu Sans Mono", monospace; white-space: pre; }
</style></head><body>${body}</body></html>`;
}
