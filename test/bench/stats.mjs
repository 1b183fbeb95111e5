/** Small helpers shared by the benchmarks: medians, spreads and result rows. */

export function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const round = (x, d = 1) => (x === null || x === undefined || !Number.isFinite(x) ? x ?? null : Math.round(x * 10 ** d) / 10 ** d);

/**
 * One result row: { name, value, unit, target, baseline, ratio, pass, samples?, spread? }.
 * `target` is an upper bound (value ≤ target passes); `ratio` = baseline / value (how many times
 * better than the naive baseline measured in the same run).
 */
export function row(name, value, unit, target, { baseline, samples, baselineSamples, pass, note, digits = 1, atLeast } = {}) {
  const out = { name, value: round(value, digits), unit, target: target ?? null, baseline: baseline === undefined ? null : round(baseline, digits) };
  out.ratio = baseline !== undefined && baseline !== null && value ? round(baseline / value, 1) : null;
  out.pass = pass ?? (target === undefined || target === null ? value !== null : value !== null && value <= target);
  if (samples && samples.length > 1) {
    out.samples = samples.map((s) => round(s, digits));
    out.spread = { min: round(Math.min(...samples), digits), max: round(Math.max(...samples), digits) };
  }
  if (baselineSamples && baselineSamples.length > 1) out.baselineSamples = baselineSamples.map((s) => round(s, digits));
  if (note) out.note = note;
  if (atLeast !== undefined) out.atLeast = atLeast;
  return out;
}

/** Runs `fn` `runs` times after `warmup` discarded runs; returns the results. */
export async function repeat(runs, fn, warmup = 1) {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const out = [];
  for (let i = 0; i < runs; i++) out.push(await fn(i));
  return out;
}
