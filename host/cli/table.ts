/** A plain text table: columns as wide as their widest cell up to a maximum, longer cells cut with "…". */
export function table(rows: string[][], maxWidths: number[]): string {
  const widths = rows[0].map((_, i) =>
    Math.min(maxWidths[i] ?? 80, Math.max(...rows.map((r) => r[i].length))),
  );
  const cell = (text: string, w: number) => (text.length > w ? `${text.slice(0, w - 1)}…` : text.padEnd(w));
  return rows
    .map((r) =>
      r
        .map((c, i) => cell(c, widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
