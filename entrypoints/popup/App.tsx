import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CategoryChips } from '../../components/CategoryChips';
import { EmptyState, type EmptyKind } from '../../components/EmptyState';
import { ExportMenu } from '../../components/ExportMenu';
import { HotList } from '../../components/HotList';
import { Notice } from '../../components/Notice';
import { SearchBox } from '../../components/SearchBox';
import { StatusLine } from '../../components/StatusLine';
import { Tabs } from '../../components/Tabs';
import { absUrl } from '../../lib/arxiv/ids';
import { announcementAgeDays, formatDay, formatDayWithYear, isOldDay, isQuietDay } from '../../lib/format';
import { t } from '../../lib/i18n';
import type { ExportFormat, HotList as HotListData } from '../../lib/messages';
import { fold, paperMatches } from '../../lib/rank/paper-filter';
import type { HotView } from '../../lib/types';
import type { UiApi } from '../../lib/popup/ui-api';

const LIMIT = 200;
/** A screenful (rows are at least ~63 px in the 380 px panel: 6 show): read, sent and laid out first. */
export const FIRST_PAGE = 8;
const MAX_CHIPS = 8;
const NONE: ReadonlySet<string> = new Set();
const FETCH_RECHECK_MS = 1500;
/** A search of a list the popup does not hold whole is asked of the worker once typing pauses this long. */
export const SEARCH_DEBOUNCE_MS = 150;

/** The worker's answer to a search or category filter of the whole view (`key` = what was asked). */
interface Found {
  view: HotView;
  key: string;
  list: HotListData;
}

/** The first screenful of Today, asked for before the first render so the worker reads it meanwhile. */
export interface FirstPage {
  view: HotView;
  list: Promise<HotListData>;
  /**
   * The worker's last answer to the same request, kept in storage.session (lib/popup/preview.ts),
   * undefined when there is none usable. It is painted when it comes before the answer; the
   * answer then replaces it.
   */
  preview?: Promise<HotListData | undefined>;
  /** What the first render shows: the answer, or the preview, when one came before it. */
  ready?: HotListData;
}

export function requestFirstPage(api: UiApi): FirstPage {
  performance.mark('hp:request');
  const list = api.request('hotlist:get', { view: 'today', limit: FIRST_PAGE });
  // The App handles a failure once it mounts; until then it is not an unhandled rejection.
  list.then(() => performance.mark('hp:data'), () => undefined);
  return { view: 'today', list };
}

/**
 * Resolves once the first page or a usable preview of it is in (then `ready` holds it) or after
 * `ms`, whichever is first: the popup paints once, with its rows, as soon as it has some.
 */
export function firstPageOrTimeout(first: FirstPage, ms: number): Promise<void> {
  const settled = first.list.then(
    (list) => {
      first.ready = list;
    },
    () => undefined,
  );
  // No preview (or an unusable one) leaves the race to the answer and the timeout.
  const previewed = first.preview?.then((list) => (list ? void (first.ready ??= list) : new Promise<void>(() => undefined)));
  return Promise.race([settled, ...(previewed ? [previewed] : []), new Promise<void>((resolve) => setTimeout(resolve, ms))]);
}

export function App({ api, firstPage }: { api: UiApi; firstPage?: FirstPage }) {
  const [view, setView] = useState<HotView>('today');
  const [lists, setLists] = useState<Partial<Record<HotView, HotListData>>>(() => (firstPage?.ready ? { [firstPage.view]: firstPage.ready } : {}));
  const [loadError, setLoadError] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const [pollRunning, setPollRunning] = useState(false);
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [cats, setCats] = useState<ReadonlySet<string>>(new Set());
  const [focusIndex, setFocusIndex] = useState(0);
  const [moveFocus, setMoveFocus] = useState(false);
  const [expandedId, setExpandedId] = useState<string | null>(null);
  const [found, setFound] = useState<Found | null>(null);
  /** Rows picked for export, per tab: they stay picked while the search or chips change. */
  const [selection, setSelection] = useState<Partial<Record<HotView, ReadonlySet<string>>>>({});
  const marked = useRef(false);
  /** Numbers each search asked of the worker: only the latest one's answer is shown. */
  const searchSeq = useRef(0);
  const seenSent = useRef(false);
  const prefetched = useRef(firstPage);

  const load = async (v: HotView, limit = LIMIT, pending?: Promise<HotListData>): Promise<HotListData | null> => {
    try {
      const list = await (pending ?? api.request('hotlist:get', { view: v, limit }));
      setLists((prev) => ({ ...prev, [v]: list }));
      setLoadError(null);
      return list;
    } catch (err) {
      setLoadError(err instanceof Error ? err.message : String(err));
      return null;
    }
  };

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      // A first screenful paints sooner (fewer papers read and sent); the rest follows at once.
      const pending = prefetched.current?.view === view ? prefetched.current.list : undefined;
      prefetched.current = undefined;
      if (!pending && !marked.current) performance.mark('hp:request');
      const first = await load(view, FIRST_PAGE, pending);
      if (!pending && !marked.current) performance.mark('hp:data');
      if (cancelled || !first) return;
      const full = first.total > first.items.length ? await load(view, LIMIT) : first;
      if (cancelled || view !== 'today' || !full || seenSent.current) return;
      seenSent.current = true;
      // Opening the popup marks what it shows as seen (and clears the badge); the "new" marks of
      // this opening stay, because they were computed before.
      void api.request('popup:seen', { ids: full.items.map((i) => i.paper.id) }).catch(() => undefined);
    })();
    setFocusIndex(0);
    setMoveFocus(false);
    setExpandedId(null);
    return () => {
      cancelled = true;
    };
  }, [view]);

  // First run: the cache is empty and the install poll is running — check back until it is done.
  const list = lists[view];
  useEffect(() => {
    if (!list || list.day !== null) return;
    let stop = false;
    const check = async () => {
      const state = await api.request('poll:state', {}).catch(() => null);
      if (stop) return;
      const running = Boolean(state?.running || list.polling);
      setPollRunning(running);
      // Reloading gives a new list object, which runs this effect again while the cache stays empty.
      if (running) setTimeout(() => !stop && void load(view), FETCH_RECHECK_MS);
    };
    void check();
    return () => {
      stop = true;
    };
  }, [list, view]);

  useEffect(() => {
    if (list && !marked.current) {
      marked.current = true;
      // The first rows on screen (the boot script marks it when it painted them first), with their ids for the benchmark.
      if (!performance.getEntriesByName('hp:rows').length) performance.mark('hp:rows', { detail: { ids: list.items.slice(0, FIRST_PAGE).map((v) => v.paper.id), by: 'app' } });
    }
  }, [list]);

  const q = fold(query.trim());
  const filtering = q !== '' || cats.size > 0;
  // The popup holds at most LIMIT rows: a filter of a longer view is answered by the worker, over the
  // whole view; a complete list is filtered here, at once.
  const complete = !list || list.total <= list.items.length;
  const remote = filtering && !complete;
  const filterKey = remote ? JSON.stringify([view, q, [...cats].sort()]) : '';
  const local = useMemo(() => (list ? list.items.filter((v) => paperMatches(v.paper, { query: q, categories: cats })) : []), [list, q, cats]);
  const answer = remote && found?.view === view && found.key === filterKey ? found.list : null;
  // Until the worker answers, the matches among the rows held are shown.
  const searching = remote && !answer;
  const items = answer ? answer.items : local;

  useEffect(() => {
    const seq = ++searchSeq.current;
    if (!remote) return;
    const timer = setTimeout(() => {
      api.request('hotlist:get', { view, limit: LIMIT, query: query.trim(), categories: [...cats] }).then(
        (reply) => {
          if (seq === searchSeq.current) setFound({ view, key: filterKey, list: reply });
        },
        (err: unknown) => {
          if (seq === searchSeq.current) setLoadError(err instanceof Error ? err.message : String(err));
        },
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [filterKey, list]);

  // Counted by the worker over the whole view, not over the rows held.
  const chipCats = useMemo(() => (list?.categoryCounts ?? []).slice(0, MAX_CHIPS).map(([c]) => c), [list]);

  const refresh = async () => {
    setRefreshing(true);
    setRefreshError(null);
    try {
      await api.request('poll:run', { reason: 'user' });
      await load(view);
    } catch (err) {
      setRefreshError(err instanceof Error ? err.message : String(err));
    } finally {
      setRefreshing(false);
    }
  };

  const selected = selection[view] ?? NONE;
  const toggleSelected = (id: string) =>
    setSelection((prev) => {
      const next = new Set(prev[view]);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return { ...prev, [view]: next };
    });

  // Selected rows that left the view (a refresh brought another day, a paper was unwatched) are
  // unselected, so "N selected" is what an export holds. Checked whenever the view's list is loaded:
  // a complete list says it at once; a longer one may hold a selected row further down (found by a
  // search), which the worker is asked about.
  useEffect(() => {
    if (!list || !selected.size) return;
    const held = new Set(list.items.map((v) => v.paper.id));
    const missing = [...selected].filter((id) => !held.has(id));
    if (!missing.length) return;
    let stale = false;
    const unselect = (gone: readonly string[]) => {
      if (stale || !gone.length) return;
      setSelection((prev) => {
        const next = new Set(prev[view]);
        for (const id of gone) next.delete(id);
        return { ...prev, [view]: next };
      });
    };
    if (list.total <= list.items.length) unselect(missing);
    else
      void api.request('hotlist:has', { view, ids: missing }).then(
        (r) => unselect(missing.filter((id) => !r.ids.includes(id))),
        () => undefined,
      );
    return () => {
      stale = true;
    };
  }, [list]);

  // What the export menu exports: the selected rows, else a filter's matches (the rows shown when
  // they are all of them, else the worker finds them again over the whole view), else the view.
  const shownAll = complete || (answer !== null && answer.total <= answer.items.length);
  const exportScope = selected.size ? { ids: [...selected] } : !filtering ? {} : shownAll ? { ids: items.map((v) => v.paper.id) } : { query: query.trim(), categories: [...cats] };
  const scopeText = selected.size
    ? t('exportScopeSelected', selected.size)
    : !filtering
      ? t('exportScopeView')
      : shownAll
        ? t('exportScopeMatches', items.length)
        : answer
          ? t('exportScopeMatches', answer.total)
          : t('exportScopeMatchesCounting');

  const onExport = async (format: ExportFormat, action: 'copy' | 'download') => {
    const out = await api.request('export:build', { format, view, ...exportScope });
    if (action === 'copy') await api.copy(out.text);
    else api.download(out.text, out.filename, out.mime);
  };

  const onDismiss = async (id: string) => {
    await api.request('relevance:dismiss', { id }).catch((err: unknown) => setLoadError(err instanceof Error ? err.message : String(err)));
    await load(view);
  };

  const onWatch = async (id: string) => {
    await api.request('watchlist:toggle', { id }).catch((err: unknown) => setLoadError(err instanceof Error ? err.message : String(err)));
    await load(view);
  };

  const online = api.online();
  let empty: EmptyKind | null = null;
  if (loadError && !list) empty = online ? 'error' : 'offline';
  else if (list && list.day === null) empty = pollRunning || refreshing ? 'fetching' : online ? 'empty' : 'offline';
  else if (list && !list.items.length) empty = view === 'watchlist' ? 'watchlist-empty' : 'empty';
  else if (list && !items.length && !searching) empty = 'no-matches';

  const notices: { text: string; kind: 'info' | 'warn' }[] = [];
  if (!online && list) notices.push({ text: t('noticeOffline'), kind: 'warn' });
  if (list?.day && view === 'today' && isQuietDay(list.day, api.now())) notices.push({ text: t('noticeQuietDay', formatDay(list.day)), kind: 'info' });
  if (list?.day && view === 'today' && isOldDay(list.day, api.now())) notices.push({ text: t('noticeOldDay', formatDayWithYear(list.day), announcementAgeDays(list.day, api.now())), kind: 'info' });
  if (list && list.items.length && list.items.every((v) => v.heat === 0)) notices.push({ text: t('noticeNoSignals'), kind: 'info' });
  if (view === 'foryou' && list?.forYou) {
    const f = list.forYou;
    notices.push({ text: f.ready ? t('forYouHow', f.positives ?? f.stars) : f.stars < f.needed ? t('forYouLearning', f.needed, f.stars) : t('forYouNotReady'), kind: 'info' });
  }
  if (loadError && list) notices.push({ text: loadError, kind: 'warn' });

  return (
    <div class="popup">
      <header class="top">
        <h1>{t('extName')}</h1>
        {list?.day && <span class="day">{t('announcementOf', formatDay(list.day))}</span>}
        <button type="button" class="options" aria-label={t('openOptions')} title={t('openOptions')} onClick={() => api.openOptions()}>
          ⚙
        </button>
      </header>
      <Tabs value={view} onChange={setView} />
      <div class="filters">
        <SearchBox
          value={query}
          onInput={(v) => {
            setQuery(v);
            setFocusIndex(0);
          }}
          onArrowDown={() => {
            setFocusIndex(0);
            setMoveFocus(true);
          }}
        />
        <CategoryChips
          categories={chipCats}
          selected={cats}
          onToggle={(c) => {
            const next = new Set(cats);
            if (next.has(c)) next.delete(c);
            else next.add(c);
            setCats(next);
            setFocusIndex(0);
          }}
          onClear={() => setCats(new Set())}
        />
      </div>
      <div class="panel" id="hot-panel" role="tabpanel" aria-labelledby={`tab-${view}`} aria-busy={!list || searching}>
        {notices.map((n) => (
          <Notice key={n.text} text={n.text} kind={n.kind} />
        ))}
        {empty ? (
          <EmptyState kind={empty} detail={empty === 'error' ? (loadError ?? undefined) : undefined} />
        ) : (
          list && (
            <HotList
              items={items}
              focusIndex={Math.min(focusIndex, Math.max(0, items.length - 1))}
              expandedId={expandedId}
              moveFocus={moveFocus}
              onFocusIndex={(i) => {
                setFocusIndex(i);
                setMoveFocus(true);
              }}
              onToggle={(id) => setExpandedId((cur) => (cur === id ? null : id))}
              onOpen={(v) => api.openUrl(absUrl(v.paper.id))}
              onWatch={(id) => void onWatch(id)}
              onDismiss={view === 'foryou' ? (id) => void onDismiss(id) : undefined}
              selected={selected}
              onSelect={toggleSelected}
            />
          )
        )}
        {answer
          ? answer.total > answer.items.length && <p class="muted more">{t('moreNotShown', answer.total - answer.items.length)}</p>
          : list && !searching && list.total > list.items.length && <p class="muted more">{t('moreNotShown', list.total - list.items.length)}</p>}
      </div>
      <footer>
        <StatusLine lastPoll={list?.lastPoll ?? null} sources={list?.sources ?? []} coverage={list?.coverage ?? null} refreshing={refreshing} refreshError={refreshError} onRefresh={() => void refresh()} />
        {selected.size > 0 && (
          <p class="selection">
            {t('selectedCount', selected.size)}
            {' · '}
            <button type="button" class="clear-selection" aria-label={t('selectionClearLabel')} onClick={() => setSelection((prev) => ({ ...prev, [view]: NONE }))}>
              {t('selectionClear')}
            </button>
          </p>
        )}
        {list && list.items.length > 0 && <ExportMenu onExport={onExport} scope={scopeText} />}
      </footer>
    </div>
  );
}
