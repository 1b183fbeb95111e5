/**
 * "For you" (issue 21): quality of the on-device relevance model on the recorded day, and its cost.
 *
 * Quality (Node; deterministic): the recorded day (test/fixtures/arxiv_new_daily-…-2026-05-15 and
 * -18 .jsonl, 479 distinct papers, primary category first). For each category with at least 15
 * papers, and each of 10 seeds: that category's papers are "what this reader reads", 10 of them are
 * starred at random, the model is trained over the whole day and ranks every other paper. Average
 * precision (AP) and precision@20 for the category's unstarred papers, beside a random order and the
 * product's keyword watchlist holding the category's 5 most frequent title words (see
 * relevance-workloads.ts topTitleWords for how stopwords are excluded). Target: mean AP ≥ 2× the
 * keyword watchlist's mean AP.
 *
 * Cost: training over 10,000 cached papers (the day's real papers copied with fresh ids) ≤ 300 ms,
 * scoring 2,000 ≤ 50 ms, model ≤ 300 KB — in the extension's service worker in Chromium when
 * `exec` is given (chromium-benches.mjs), else in Node.
 *
 * Run alone: node test/bench/relevance.mjs
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleWorkloads } from './bundle.mjs';
import { ROOT } from './data.mjs';
import { median, repeat, row } from './stats.mjs';

export const RELEVANCE_TARGETS = { apRatio: 2, trainMs: 300, scoreMs: 50, modelKB: 300 };
const DAY_FILES = ['2026-05-15', '2026-05-18'].map((d) => join(ROOT, 'test', 'fixtures', `arxiv_new_daily-arXiv-ai-enhanced_${d}.jsonl`));
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const MIN_PAPERS = 15;

export const dayTexts = () => DAY_FILES.map((f) => readFileSync(f, 'utf8'));

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs) => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
};
const f3 = (x) => x.toFixed(3);

export async function relevanceQualityBench({ log = () => {} } = {}) {
  const { esm } = await bundleWorkloads();
  const texts = dayTexts();
  const day = esm.parseDay(texts);
  const byCat = new Map();
  for (const p of day) byCat.set(p.primary, (byCat.get(p.primary) ?? 0) + 1);
  const categories = [...byCat].filter(([, n]) => n >= MIN_PAPERS).sort((a, b) => b[1] - a[1]).map(([c]) => c);
  const runs = esm.qualityRuns(texts, categories, SEEDS);
  const rows = [];
  const stat = (rs, pick) => ({ m: mean(rs.map(pick)), s: sd(rs.map(pick)) });
  for (const c of categories) {
    const rs = runs.filter((r) => r.category === c);
    const ap = stat(rs, (r) => r.model.ap);
    const p20 = stat(rs, (r) => r.model.p20);
    const kw = stat(rs, (r) => r.keyword.ap);
    const kw20 = stat(rs, (r) => r.keyword.p20);
    const rnd = stat(rs, (r) => r.random.ap);
    const rnd20 = stat(rs, (r) => r.random.p20);
    log(`relevance ${c}: ${rs[0].relevant} unstarred of ${rs[0].candidates}; keywords ${rs[0].keywords.join(', ')}; AP model ${f3(ap.m)} ± ${f3(ap.s)}, keyword ${f3(kw.m)} ± ${f3(kw.s)}, random ${f3(rnd.m)}; P@20 model ${f3(p20.m)}, keyword ${f3(kw20.m)}, random ${f3(rnd20.m)}`);
    rows.push(row(`For you quality, ${c} reader (${rs[0].relevant + 10} papers of ${day.length}; 10 starred; ${SEEDS.length} seeds): average precision`, ap.m, 'AP', null, {
      digits: 3, samples: rs.map((r) => r.model.ap),
      note: `± ${f3(ap.s)} (sd over seeds); keyword watchlist [${rs[0].keywords.join(', ')}] ${f3(kw.m)} ± ${f3(kw.s)}; random ${f3(rnd.m)} ± ${f3(rnd.s)}.`,
    }));
    rows.push(row(`For you quality, ${c} reader: precision@20`, p20.m, 'P@20', null, {
      digits: 3, samples: rs.map((r) => r.model.p20),
      note: `± ${f3(p20.s)}; keyword watchlist ${f3(kw20.m)} ± ${f3(kw20.s)}; random ${f3(rnd20.m)} ± ${f3(rnd20.s)}`,
    }));
  }
  const ap = runs.map((r) => r.model.ap);
  const kw = runs.map((r) => r.keyword.ap);
  const rnd = runs.map((r) => r.random.ap);
  const ratio = mean(ap) / mean(kw);
  const perCat = categories.map((c) => {
    const rs = runs.filter((r) => r.category === c);
    return `${c} ${(mean(rs.map((r) => r.model.ap)) / mean(rs.map((r) => r.keyword.ap))).toFixed(1)}×`;
  });
  log(`relevance over ${runs.length} readers: AP model ${f3(mean(ap))} ± ${f3(sd(ap))}, keyword ${f3(mean(kw))} ± ${f3(sd(kw))}, random ${f3(mean(rnd))} ± ${f3(sd(rnd))}; ×${ratio.toFixed(2)} the keyword watchlist (${perCat.join(', ')})`);
  rows.push(row(`For you quality, all ${categories.length} categories × ${SEEDS.length} seeds: mean average precision ÷ the keyword watchlist's`, ratio, '×', null, {
    digits: 2, pass: true, atLeast: RELEVANCE_TARGETS.apRatio,
    note: `target ≥ ${RELEVANCE_TARGETS.apRatio}×. Model AP ${f3(mean(ap))} ± ${f3(sd(ap))} (sd over ${runs.length} readers), P@20 ${f3(mean(runs.map((r) => r.model.p20)))}; keyword watchlist AP ${f3(mean(kw))} ± ${f3(sd(kw))}, P@20 ${f3(mean(runs.map((r) => r.keyword.p20)))}; random AP ${f3(mean(rnd))}. Per category: ${perCat.join(', ')} (a category holding half the day leaves the keywords little room to be beaten 2×)`,
  }));
  return rows;
}

const cpuClock = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/**
 * Cost rows. `exec` runs the workloads somewhere else (the service worker in Chromium); without
 * it they run here, in Node, whose V8 is the same engine Chromium's worker runs.
 */
export async function relevanceCostBench({ runs = 5, exec = null, where = 'Node', log = () => {} } = {}) {
  const texts = dayTexts();
  let call;
  if (exec) {
    await exec.put('relevanceDay', texts);
    call = (fn, ...args) => exec.call(fn, { $ref: 'relevanceDay' }, ...args);
  } else {
    const { esm } = await bundleWorkloads();
    call = async (fn, ...args) => esm[fn](texts, ...args, 'cpu');
  }
  const cost = await repeat(runs, () => call('relevanceCost', 10_000, 2_000));
  const yard = exec ? await repeat(runs, () => exec.call('yardstick', 100_000), 0) : await repeat(runs, async () => (await bundleWorkloads()).esm.yardstick(100_000, cpuClock), 0);
  const train = cost.map((c) => c.trainMs);
  const score = cost.map((c) => c.scoreMs);
  const y = median(yard);
  log(`relevance cost (${where}): train ${train.map((x) => x.toFixed(0)).join(', ')} ms; score 2,000 ${score.map((x) => x.toFixed(0)).join(', ')} ms; model ${(cost[0].bytes / 1024).toFixed(0)} KB, ${cost[0].terms} terms; yardstick ${yard.map((x) => x.toFixed(0)).join(', ')} ms`);
  return [
    row(`For you: train over 10,000 cached papers (tf-idf + linear SVM; ${where})`, median(train), 'ms', RELEVANCE_TARGETS.trainMs, { samples: train, note: `= ${(median(train) / y).toFixed(1)} yardsticks (yardstick ${y.toFixed(0)} ms now; ~50 ms on this machine idle, ~10 ms on a laptop)` }),
    row(`For you: score 2,000 papers (vocabulary lookup + tf-idf + dot product; ${where})`, median(score), 'ms', RELEVANCE_TARGETS.scoreMs, { samples: score, note: `= ${(median(score) / y).toFixed(1)} yardsticks` }),
    row(`For you: model size (${cost[0].terms} terms, weights + idf + star vectors)`, cost[0].bytes / 1024, 'KB', RELEVANCE_TARGETS.modelKB, { digits: 0 }),
  ];
}

/**
 * The cost rows measured where the model runs: inside the extension's service worker in Chromium
 * (the bundled workloads evaluated in the worker's own global scope). Falls back to Node when
 * Chromium cannot be started.
 */
export async function relevanceWorkerCostBench({ runs = 5, log = () => {}, chromiumPath, build } = {}) {
  const { launchWithExtension } = await import('./chromium-benches.mjs');
  const s = await launchWithExtension({ chromiumPath, ...(build ? { build } : {}) });
  try {
    const sw = s.context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
    if (!sw) throw new Error('no service worker');
    const { iife } = await bundleWorkloads();
    await sw.evaluate(iife);
    const exec = {
      put: (key, value) => sw.evaluate(([k, v]) => {
        (globalThis.__data ??= {})[k] = v;
      }, [key, value]),
      call: (fn, ...args) => sw.evaluate(([f, a]) => {
        const resolved = a.map((x) => (x && typeof x === 'object' && '$ref' in x ? globalThis.__data[x.$ref] : x));
        return globalThis.__hpBench[f](...resolved);
      }, [fn, args]),
    };
    return await relevanceCostBench({ runs, exec, where: 'Chromium, in the extension\'s service worker', log });
  } finally {
    await s.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const log = (m) => console.log(`  ${m}`);
  const runs = Number(process.env.BENCH_RUNS || 3);
  const rows = [...(await relevanceQualityBench({ log })), ...(await relevanceCostBench({ runs, log }))];
  if (process.argv.includes('--worker')) rows.push(...(await relevanceWorkerCostBench({ runs, log })));
  for (const r of rows) console.log(`${r.atLeast !== undefined ? (r.value >= r.atLeast ? 'PASS' : 'MISS') : r.target === null ? 'info' : r.pass ? 'PASS' : 'MISS'}  ${r.name}: ${r.value} ${r.unit}${r.target !== null ? ` (target ≤ ${r.target})` : ''}${r.baseline !== null ? ` baseline ${r.baseline}` : ''}${r.note ? `\n      ${r.note}` : ''}`);
}
