/**
 * Main-thread time an extension's content script costs a page, attributed from a Chrome trace
 * (issue 17) — never the difference of two page totals:
 *
 *  - script: the top-level JavaScript slices of the page's renderer main thread (EvaluateScript,
 *    FunctionCall, RunMicrotasks, TimerFire, idle and animation-frame callbacks) from the moment the
 *    extension's script is evaluated (its EvaluateScript, URL chrome-extension://…) to the end of
 *    the trace, except slices whose URL is a page's own script. Callbacks and microtask checkpoints
 *    carry no URL in the trace; they are the extension's because nothing else runs script then:
 *    arXiv's static scripts are served empty and the benchmark does not evaluate anything in the
 *    page while tracing (it waits on CDP Performance metrics). `foreignScriptMs` reports any page
 *    script found in that window, so a violation shows;
 *  - style and layout: each UpdateLayoutTree is the extension's when an invalidation recorded since
 *    the previous one (disabled-by-default-devtools.timeline.invalidationTracking: nodes inserted,
 *    classes and attributes changed, with the JavaScript stack that did it) has a frame in
 *    chrome-extension://; each Layout is the extension's when the style pass before it was, or one
 *    of its own invalidations has such a frame. Passes that also carry the page's own invalidations
 *    (the parser's, or a page script's) are counted whole and reported as `mixedPasses`;
 *  - tasks: the attributed slices are grouped by their top-level RunTask; the longest sum is the
 *    longest attributed task, what a reader would feel as a hitch.
 * Times are thread CPU (`tdur`), not wall: on a shared machine time spent descheduled is not the
 * page's cost.
 */

export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.invalidationTracking',
  'blink.user_timing',
  'toplevel',
  'v8.execute',
].join(',');

const JS = new Set(['EvaluateScript', 'FunctionCall', 'RunMicrotasks', 'TimerFire', 'FireIdleCallback', 'FireAnimationFrame', 'v8.callFunction']);
const STYLE = new Set(['UpdateLayoutTree', 'RecalculateStyles']);
const LAYOUT = 'Layout';
const INVALIDATIONS = new Set(['ScheduleStyleInvalidationTracking', 'StyleRecalcInvalidationTracking', 'StyleInvalidatorInvalidationTracking', 'LayoutInvalidationTracking']);

const cpu = (e) => (typeof e.tdur === 'number' ? e.tdur : e.dur) / 1000;
const urlOf = (e) => e.args?.data?.url ?? '';
const isExt = (url) => url.startsWith('chrome-extension://');

/** The renderer main thread that parsed `pageUrl` (ignores the query). */
function mainThread(events, pageUrl) {
  const base = pageUrl.split('?')[0];
  const parse = events.find((e) => e.name === 'ParseHTML' && (e.args?.beginData?.url ?? '').split('?')[0] === base);
  if (!parse) return null;
  return events.filter((e) => e.pid === parse.pid && e.tid === parse.tid).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
}

export function attribute(events, pageUrl) {
  const main = mainThread(events, pageUrl);
  if (!main) throw new Error(`no main thread parsed ${pageUrl} in the trace`);
  const injected = main.find((e) => e.name === 'EvaluateScript' && isExt(urlOf(e)));
  if (!injected) throw new Error('the extension evaluated no script in the page');
  const slices = main.filter((e) => e.ph === 'X' && typeof e.dur === 'number');
  const tasks = slices.filter((e) => e.name === 'RunTask');
  const taskOf = (e) => tasks.find((t) => t.ts <= e.ts && t.ts + t.dur >= e.ts + e.dur) ?? null;

  // Script: top-level JS slices from the injection on.
  const js = slices.filter((e) => JS.has(e.name) && e.ts >= injected.ts);
  // Nested slices (a FunctionCall inside a RunMicrotasks) are inside their parent's time already.
  const top = [];
  let end = -Infinity;
  for (const e of [...js].sort((a, b) => a.ts - b.ts || b.dur - a.dur)) {
    if (e.ts + e.dur <= end) continue;
    top.push(e);
    end = e.ts + e.dur;
  }
  const foreign = top.filter((e) => /^https?:/.test(urlOf(e)));
  const script = top.filter((e) => !foreign.includes(e));

  // Style and layout: walk the thread in time order, collecting the invalidations since each pass.
  const styleLayout = [];
  let mixedPasses = 0;
  let ext = false;
  let other = false;
  let styleWasOurs = false;
  let layoutExt = false;
  for (const e of main) {
    if (INVALIDATIONS.has(e.name)) {
      const stack = e.args?.data?.stackTrace ?? [];
      if (stack.some((f) => isExt(f.url ?? ''))) {
        ext = true;
        if (e.name === 'LayoutInvalidationTracking') layoutExt = true;
      } else if (stack.length) {
        other = true;
        if (process.env.BENCH_DEBUG) console.log(`    other invalidation: ${e.name} ${JSON.stringify(e.args.data).slice(0, 300)}`);
      }
      continue;
    }
    const parsedLines = e.name === 'ParseHTML' && (e.args?.endData?.endLine ?? 1) > (e.args?.beginData?.startLine ?? 0);
    if (parsedLines || (e.name === 'EvaluateScript' && /^https?:/.test(urlOf(e)))) {
      other = true;
      if (process.env.BENCH_DEBUG && e.ts > injected.ts) console.log(`    other: ${e.name} ${urlOf(e)}`);
    }
    if (e.ph !== 'X') continue;
    if (STYLE.has(e.name)) {
      styleWasOurs = ext;
      if (ext) {
        styleLayout.push(e);
        if (other) mixedPasses++;
      }
      ext = false;
      other = false;
    } else if (e.name === LAYOUT) {
      if (styleWasOurs || layoutExt) styleLayout.push(e);
      styleWasOurs = false;
      layoutExt = false;
    }
  }

  if (process.env.BENCH_DEBUG) {
    const t0 = injected.ts;
    for (const e of main.filter((x) => x.cat?.includes('blink.user_timing') && x.ts >= t0)) console.log(`    +${((e.ts - t0) / 1000).toFixed(1)} ms mark ${e.name}`);
    for (const e of [...script, ...styleLayout].sort((a, b) => a.ts - b.ts)) console.log(`    +${((e.ts - t0) / 1000).toFixed(1)} ms ${e.name} ${cpu(e).toFixed(1)} ms cpu (wall ${(e.dur/1000).toFixed(1)}) ${urlOf(e).slice(-40)} ${JSON.stringify(e.args?.beginData ?? {}).slice(0, 90)}`);
  }
  // A task that ran the extension's script is the extension's whole: the messaging bindings around
  // its callbacks, compilation, and any style or layout its reads forced are all in it.
  const perTask = new Map();
  const inside = (t, e) => t.ts <= e.ts && t.ts + t.dur >= e.ts + e.dur;
  for (const e of script) {
    const t = taskOf(e);
    if (!t) perTask.set(e, cpu(e));
    else perTask.set(t, cpu(t));
  }
  const ourTasks = [...perTask.keys()];
  if (process.env.BENCH_DEBUG === '2') {
    for (const t of ourTasks) {
      console.log(`   task +${((t.ts - injected.ts) / 1000).toFixed(1)} ${cpu(t).toFixed(1)} ms cpu`);
      for (const e of slices.filter((x) => x !== t && inside(t, x) && cpu(x) >= 0.2)) console.log(`      +${((e.ts - t.ts) / 1000).toFixed(1)} ${e.name} ${cpu(e).toFixed(1)} wall ${(e.dur/1000).toFixed(1)} ${urlOf(e).slice(-20)}`);
    }
  }
  const forced = slices.filter((e) => (STYLE.has(e.name) || e.name === LAYOUT) && ourTasks.some((t) => t.name === 'RunTask' && inside(t, e)));
  const later = styleLayout.filter((e) => !ourTasks.some((t) => inside(t, e)));
  for (const e of later) {
    const t = taskOf(e) ?? e;
    perTask.set(t, (perTask.get(t) ?? 0) + cpu(e));
  }
  const sum = (xs) => xs.reduce((n, e) => n + cpu(e), 0);
  const passes = [...forced, ...later];
  const styleLayoutMs = sum(passes);
  const totalMs = [...perTask.values()].reduce((a, b) => a + b, 0);
  return {
    totalMs,
    scriptMs: totalMs - styleLayoutMs,
    evaluateMs: sum(ourTasks.filter((t) => script.some((e) => e.name === 'EvaluateScript' && isExt(urlOf(e)) && inside(t, e)))),
    styleMs: sum(passes.filter((e) => STYLE.has(e.name))),
    layoutMs: sum(passes.filter((e) => e.name === LAYOUT)),
    styleLayoutMs,
    longestTaskMs: Math.max(0, ...perTask.values()),
    tasks: perTask.size,
    passes: passes.length,
    mixedPasses,
    foreignScriptMs: foreign.reduce((n, e) => n + cpu(e), 0),
  };
}
