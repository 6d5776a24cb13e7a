export type Delimiter = ';' | ',' | '\t';
const CANDIDATES: Delimiter[] = [';', '\t', ','];

/** Counts of each candidate outside quotes, per line of the sample (quoted newlines stay in their record). */
function countsPerRecord(text: string, maxRecords: number): Map<Delimiter, number[]> {
  const counts = new Map<Delimiter, number[]>(CANDIDATES.map((d) => [d, [0]]));
  let quoted = false;
  let records = 0;
  for (let i = 0; i < text.length && records < maxRecords; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      records++;
      for (const list of counts.values()) list.push(0);
    } else if (!quoted && (ch === ';' || ch === ',' || ch === '\t')) {
      const list = counts.get(ch)!;
      list[list.length - 1]!++;
    }
  }
  // The last record may be cut by the sample boundary: drop it when there are others.
  if (records > 0) for (const list of counts.values()) list.pop();
  return counts;
}

/** Excel's "sep=;" first line: the file names its separator (Excel reads it and hides the line). */
export const SEP_LINE = /^sep=([;,\t])(\r\n|\n|\r|$)/i;

/**
 * The separator a "sep=" first line names, else the one whose count is the most consistent across
 * the first records (ties → `;`, the French Excel default). A file with a single column has none
 * of them: `;` is as good as any.
 */
export function detectDelimiter(text: string): Delimiter {
  const named = SEP_LINE.exec(text)?.[1] as Delimiter | undefined;
  if (named) return named;
  const counts = countsPerRecord(text, 50);
  let best: Delimiter = ';';
  let bestScore = 0;
  for (const d of CANDIDATES) {
    const list = counts.get(d)!;
    const freq = new Map<number, number>();
    for (const n of list) if (n > 0) freq.set(n, (freq.get(n) ?? 0) + 1);
    let score = 0;
    for (const [n, times] of freq) score = Math.max(score, times * 1000 + n);
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}
