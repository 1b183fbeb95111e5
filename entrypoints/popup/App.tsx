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
import { formatDay, isQuietDay } from '../../lib/format';
import { t } from '../../lib/i18n';
import type { ExportFormat, HotList as HotListData } from '../../lib/messages';
import type { HotView, PaperView } from '../../lib/types';
import type { UiApi } from '../../lib/ui-api';

const LIMIT = 200;
/** A screenful (rows are at least ~63 px in the 380 px panel: 6 show): read, sent and laid out first. */
export const FIRST_PAGE = 8;
const MAX_CHIPS = 8;
const FETCH_RECHECK_MS = 1500;

const fold = (s: string): string => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

function matches(v: PaperView, q: string, cats: ReadonlySet<string>): boolean {
  if (cats.size && !v.paper.categories.some((c) => cats.has(c))) return false;
  if (!q) return true;
  return fold(v.paper.title).includes(q) || v.paper.authors.some((a) => fold(a).includes(q));
}

/** The first screenful of Today, asked for before the first render so the worker reads it meanwhile. */
export interface FirstPage {
  view: HotView;
  list: Promise<HotListData>;
  /** The list, when it came before the first render. */
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
 * Resolves once the first page is in (then `ready` holds it) or after `ms`, whichever is first:
 * when the worker answers quickly, as it usually does, the popup paints once, with its rows.
 */
export function firstPageOrTimeout(first: FirstPage, ms: number): Promise<void> {
  const settled = first.list.then(
    (list) => {
      first.ready = list;
    },
    () => undefined,
  );
  return Promise.race([settled, new Promise<void>((resolve) => setTimeout(resolve, ms))]);
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
  const marked = useRef(false);
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
      performance.mark('hp:rows');
    }
  }, [list]);

  const q = fold(query.trim());
  const items = useMemo(() => (list ? list.items.filter((v) => matches(v, q, cats)) : []), [list, q, cats]);
  const chipCats = useMemo(() => {
    const counts = new Map<string, number>();
    for (const v of list?.items ?? []) counts.set(v.paper.primaryCategory, (counts.get(v.paper.primaryCategory) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, MAX_CHIPS).map(([c]) => c);
  }, [list]);

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

  const onExport = async (format: ExportFormat, action: 'copy' | 'download') => {
    const ids = q || cats.size ? items.map((v) => v.paper.id) : undefined;
    const out = await api.request('export:build', { format, view, ids });
    if (action === 'copy') await api.copy(out.text);
    else api.download(out.text, out.filename, out.mime);
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
  else if (list && !items.length) empty = 'no-matches';

  const notices: { text: string; kind: 'info' | 'warn' }[] = [];
  if (!online && list) notices.push({ text: t('noticeOffline'), kind: 'warn' });
  if (list?.day && view === 'today' && isQuietDay(list.day, api.now())) notices.push({ text: t('noticeQuietDay', formatDay(list.day)), kind: 'info' });
  if (list && list.items.length && list.items.every((v) => v.heat === 0)) notices.push({ text: t('noticeNoSignals'), kind: 'info' });
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
      <div class="panel" id="hot-panel" role="tabpanel" aria-labelledby={`tab-${view}`} aria-busy={!list}>
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
            />
          )
        )}
        {list && list.total > list.items.length && <p class="muted more">{t('moreNotShown', list.total - list.items.length)}</p>}
      </div>
      <footer>
        <StatusLine lastPoll={list?.lastPoll ?? null} sources={list?.sources ?? []} refreshing={refreshing} refreshError={refreshError} onRefresh={() => void refresh()} />
        {list && list.items.length > 0 && <ExportMenu onExport={onExport} />}
      </footer>
    </div>
  );
}
