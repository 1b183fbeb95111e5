/**
 * Author names as arXiv's feeds and API carry them: TeX accents to Unicode, and arxiv-feed's
 * `dc:creator` list split into names.
 */

const ACCENTS: Record<string, string> = {
  "'": '\u0301', '`': '\u0300', '^': '\u0302', '"': '\u0308', '~': '\u0303', '=': '\u0304', '.': '\u0307',
  c: '\u0327', v: '\u030C', u: '\u0306', H: '\u030B', r: '\u030A', k: '\u0328',
};
const LETTERS: Record<string, string> = { ss: 'ß', o: 'ø', O: 'Ø', l: 'ł', L: 'Ł', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', aa: 'å', AA: 'Å', i: 'ı' };

// TeX accents a dotless i (`\\'{\\i}`); Unicode composes í from a plain i.
const accent = (letter: string, mark: string): string => ((letter === 'ı' ? 'i' : letter) + ACCENTS[mark]).normalize('NFC');

/**
 * arXiv keeps author names in TeX (`P\'erez`, and the feed app even doubles the backslash:
 * `P\\'erez`). Names are converted to Unicode so that they read normally and so a watchlist entry
 * "Pérez" matches; titles and abstracts keep their TeX, as arXiv's own pages show it.
 */
export function texToUnicode(s: string): string {
  if (!s.includes('\\')) return s;
  return s
    .replace(/\\\\?(ss|ae|AE|oe|OE|aa|AA|[oOlLi])(?![A-Za-z])\s?/g, (_m, l: string) => LETTERS[l] ?? l)
    .replace(/\\\\?(['`^"~=.])\s*(?:\{\s*([A-Za-zı])\s*\}|([A-Za-zı]))/g, (_m, a: string, l1?: string, l2?: string) => accent(l1 ?? l2 ?? '', a))
    .replace(/\\\\?([cvuHrk])(?:\s+([A-Za-z])|\{\s*([A-Za-z])\s*\})/g, (_m, a: string, l1?: string, l2?: string) => accent(l1 ?? l2 ?? '', a))
    .replace(/\{(\p{L})\}/gu, '$1');
}

/**
 * Splits `dc:creator` into names. arxiv-feed writes "Name Last[ Suffix][ (Aff 1, Aff 2)], …": the
 * list and each affiliation list share ", ", so commas split only outside parentheses, and the
 * affiliations are dropped (Paper.authors holds names).
 */
export function splitAuthors(raw: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of texToUnicode(raw)) {
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((a) => a.replace(/\s*\([^()]*(?:\([^()]*\)[^()]*)*\)\s*/g, ' ').replace(/\s+/g, ' ').trim()).filter(Boolean);
}
