/**
 * The words the arxiv.org page may show (lib/content/i18n.ts msg keys): the worker sends their
 * templates with the page's first lookup (lib/worker/lookup.ts), so painting the badges and the
 * toolbar calls no `i18n.getMessage` (issue 17). A key missing here still works: msg asks the
 * browser for it. test/unit/page-words.test.ts holds the list to the messages and to the code.
 */
import { SOURCE_IDS } from '../types';
import { METRICS } from './format';

const PAGE = [
  'pageBadgeLabel', 'pageBadgeLabelRising', 'pageBadgeLabelSignals', 'pageBadgeLabelSignalsRising',
  'pageBadgeLoading', 'pageBadgeNoData', 'pageBadgeNoSignal',
  'pageBreakdownHeat', 'pageBreakdownHeatRising', 'pageBreakdownLabel', 'pageBreakdownLoading', 'pageBreakdownNoData', 'pageBreakdownNoSignal',
  'pageCount', 'pageCountsX', 'pageDiscussion', 'pageForYouLabel', 'pageHighlight',
  'pageLevel_0', 'pageLevel_1', 'pageLevel_2', 'pageLevel_3', 'pageLevel_4',
  'pageListSeparator', 'pageOnlyHot', 'pageShare', 'pageSignal', 'pageSort', 'pageSortOffTitle', 'pageSortOnTitle',
  'pageSparkline', 'pageStatus', 'pageStatusLoading', 'pageToolbarLabel', 'pageWatchAdd', 'pageWatchRemove',
];

export const PAGE_WORDS: readonly string[] = [
  'htmlLang',
  ...PAGE,
  ...SOURCE_IDS.flatMap((s) => [`source_${s}`, `sourceShort_${s}`]),
  ...[...METRICS].map((m) => `metric_${m}`),
  'kindBots',
  'kindAuthors',
  'notForMe',
  'notForMeUndo',
];
