/**
 * Light or dark badges, from the page's own background — not from the OS colour scheme: arXiv's
 * pages are white whatever the OS says, and a dark page (a dark theme of arXiv's, or a dark-mode
 * extension that restyles it before we run) should get dark badges on a light-mode OS too.
 * Read once per page: one computed-style read of <body> and <html>, no layout.
 */

export type Theme = 'light' | 'dark';

/** [r, g, b, alpha] from a computed colour: `rgb()`/`rgba()` (comma or space syntax) or hex. */
export function parseColor(value: string): [number, number, number, number] | null {
  const v = value.trim().toLowerCase();
  const fn = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(v);
  if (fn) {
    const a = fn[4] === undefined ? 1 : fn[4].endsWith('%') ? Number(fn[4].slice(0, -1)) / 100 : Number(fn[4]);
    return [Number(fn[1]), Number(fn[2]), Number(fn[3]), a];
  }
  const hex = /^#([0-9a-f]{3,8})$/.exec(v)?.[1];
  if (hex && (hex.length === 3 || hex.length === 4)) {
    const d = [...hex].map((c) => parseInt(c + c, 16));
    return [d[0]!, d[1]!, d[2]!, d.length === 4 ? d[3]! / 255 : 1];
  }
  if (hex && (hex.length === 6 || hex.length === 8)) {
    const d = hex.match(/../g)!.map((c) => parseInt(c, 16));
    return [d[0]!, d[1]!, d[2]!, d.length === 4 ? d[3]! / 255 : 1];
  }
  return null;
}

/** WCAG relative luminance of an sRGB colour (0 black … 1 white). */
function luminance([r, g, b]: readonly number[]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
}

/**
 * The theme of the page as painted: the first opaque background of <body>, then <html>; with
 * neither, the canvas: dark when the page asks for a dark colour scheme only, or offers both and
 * the browser picked dark (then, and only then, the OS preference is the page's own background).
 * Dark when white text would contrast more with the background than black text does.
 */
export function pageTheme(doc: Document): Theme {
  const win = doc.defaultView;
  if (!win) return 'light';
  for (const el of [doc.body, doc.documentElement]) {
    if (!el) continue;
    const c = parseColor(win.getComputedStyle(el).backgroundColor);
    if (c && c[3] >= 0.5) return luminance(c) < 0.179 ? 'dark' : 'light';
  }
  const scheme = (win.getComputedStyle(doc.documentElement).colorScheme ?? '').split(/\s+/);
  if (!scheme.includes('dark')) return 'light';
  if (!scheme.includes('light')) return 'dark';
  return win.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
