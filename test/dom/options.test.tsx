// @vitest-environment happy-dom
import { render } from 'preact';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { App, type OptionsApi } from '../../entrypoints/options/App';
import { CREDENTIALS_KEY } from '../../lib/credentials';
import { exportSettings } from '../../lib/export/settings-io';
import { DEFAULT_SETTINGS, SETTINGS_KEY, SETTINGS_VERSION, type Settings } from '../../lib/settings';
import { dropRoot, memStorage, newRoot, useEnglish } from '../unit/popup-test-kit';

let root: HTMLElement;
const flush = async (n = 6) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setTimeout(r, 0));
};

function fakeApi(stored: Record<string, unknown> = {}, grant = true) {
  const storage = memStorage();
  const secrets = memStorage();
  const { [CREDENTIALS_KEY]: creds, ...rest } = structuredClone(stored);
  Object.assign(storage.data, rest);
  if (creds !== undefined) secrets.data[CREDENTIALS_KEY] = creds;
  const asked: string[][] = [];
  const requests: string[] = [];
  const downloads: { text: string; filename: string }[] = [];
  const api: OptionsApi = {
    storage,
    secrets,
    now: () => Date.parse('2026-11-25T10:00:00Z'),
    request: async (type) => {
      requests.push(type);
      return { ok: true } as never;
    },
    download: (text, filename) => void downloads.push({ text, filename }),
    requestOrigins: async (origins) => {
      asked.push(origins);
      return grant;
    },
  };
  return { api, storage, secrets, asked, requests, downloads };
}

const saved = (storage: { data: Record<string, unknown> }) => storage.data[SETTINGS_KEY] as Settings;
const input = (el: HTMLInputElement | HTMLTextAreaElement, value: string) => {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
};
const checkbox = (label: string) => [...root.querySelectorAll('label')].find((l) => l.textContent?.trim() === label)!.querySelector('input')!;
const field = (id: string) => root.querySelector<HTMLInputElement | HTMLTextAreaElement>(`#${id}`)!.value;
/** Chooses a file in the "Import settings…" picker, as a user does. */
async function importFile(text: string, name = 'hot-papers-settings.json') {
  const label = [...root.querySelectorAll('label')].find((l) => l.textContent?.trim() === 'Import settings…')!;
  const picker = label.querySelector<HTMLInputElement>('input[type=file]')!;
  Object.defineProperty(picker, 'files', { value: [new File([text], name, { type: 'application/json' })], configurable: true });
  picker.dispatchEvent(new Event('change', { bubbles: true }));
  await flush(10);
}
const dataStatus = () => root.querySelector('.status-msg')!.textContent!.trim();
const button = (name: string) => [...root.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name)!;

beforeAll(useEnglish);
beforeEach(() => {
  root = newRoot();
});
afterEach(() => dropRoot(root));

describe('options page: For you (issue 21)', () => {
  it('says what was learned, lists "not for me" papers with an undo each, and forgets it all on request', async () => {
    const settings = { ...structuredClone(DEFAULT_SETTINGS), forYou: { ...DEFAULT_SETTINGS.forYou, notForMe: ['2605.14023', '2605.14170'] } };
    const { api, storage, requests } = fakeApi({ [SETTINGS_KEY]: settings });
    const status = { ready: true, stars: 4, needed: 3, notForMe: 2, positives: 4, negatives: 2, corpus: 480, trainedAt: Date.parse('2026-11-25T09:00:00Z'), dismissed: [{ id: '2605.14023', title: 'Function-Correction with Optimal Data Protection' }, { id: '2605.14170', title: '' }] };
    api.request = (async (type: string) => {
      requests.push(type);
      if (type === 'relevance:status') return status;
      if (type === 'relevance:reset') {
        (storage.data[SETTINGS_KEY] as Settings).forYou.notForMe = [];
        status.ready = false;
        return { ok: true };
      }
      return { ok: true };
    }) as OptionsApi['request'];
    render(<App api={api} />, root);
    await flush(10);
    expect(root.querySelector('.for-you-status')!.textContent).toMatch(/^Learned from 4 starred and 2 “not for me” papers over 480 cached papers/);
    expect(root.textContent).toContain('Marked “not for me” (2)');
    expect(root.querySelector('.not-for-me-list')!.textContent).toContain('Function-Correction with Optimal Data Protection');
    button('Undo “not for me” on 2605.14023').click();
    await flush(10);
    expect(saved(storage).forYou.notForMe).toEqual(['2605.14170']);
    button('Reset what was learned').click();
    await flush();
    expect(root.textContent).toContain('Forget the For you model and every “not for me”?');
    [...root.querySelectorAll<HTMLButtonElement>('button.danger')].find((b) => b.textContent === 'Reset what was learned')!.click();
    await flush(10);
    expect(requests).toContain('relevance:reset');
    expect(root.textContent).toContain('Nothing is marked “not for me”.');
    expect(root.querySelector('.for-you-status')!.textContent).toBe('Star at least 3 papers to start (you have 4).');
  });

  it('saves the order mix, closeness and notification threshold as they are typed', async () => {
    const { api, storage } = fakeApi();
    render(<App api={api} />, root);
    await flush();
    input(root.querySelector<HTMLInputElement>('#for-you-mix')!, '0.3');
    input(root.querySelector<HTMLInputElement>('#for-you-closeness')!, '0.95');
    input(root.querySelector<HTMLInputElement>('#for-you-heat')!, '7');
    await flush(10);
    expect(saved(storage).forYou).toMatchObject({ mix: 0.3, closeness: 0.95, notifyHeat: 7 });
  });
});

describe('options page', () => {
  it('takes its title from the messages (extension HTML gets no __MSG_ substitution)', async () => {
    document.title = 'placeholder';
    const { api } = fakeApi();
    render(<App api={api} />, root);
    await flush();
    expect(document.title).toBe('Hot Papers for arXiv — Settings');
  });

  it('reports invalid stored values and shows their defaults', async () => {
    const { api } = fakeApi({ [SETTINGS_KEY]: { version: 1, hotThreshold: 'lots', retentionDays: 14 } });
    render(<App api={api} />, root);
    await flush();
    expect(root.textContent).toContain('Some saved settings were invalid');
    expect(root.textContent).toContain('hotThreshold: must be a number from 0 to 1000; reset to 10');
    expect(root.querySelector<HTMLInputElement>('#hot-threshold')!.value).toBe('10');
    expect(root.querySelector<HTMLInputElement>('#retention')!.value).toBe('14');
  });

  it('saves categories checked against the arXiv taxonomy and refuses unknown codes', async () => {
    const { api, storage } = fakeApi();
    render(<App api={api} />, root);
    await flush();
    const cats = root.querySelector<HTMLInputElement>('#categories')!;
    input(cats, 'cs.LG, cs.XX');
    await flush();
    expect(root.textContent).toContain('Not arXiv categories (not saved): cs.XX');
    expect(saved(storage)).toBeUndefined();
    input(cats, 'cs.LG, q-bio.NC');
    await flush();
    expect(saved(storage).categories).toEqual(['cs.LG', 'q-bio.NC']);
  });

  it('asks for the host permission when X is turned on, and keeps it off when refused; Bluesky without an account asks nothing', async () => {
    const refused = fakeApi({}, false);
    render(<App api={refused.api} />, root);
    await flush();
    // Bluesky is on by default: off, then on again, without an account: its bot feeds need no optional host.
    checkbox('Bluesky').click();
    await flush();
    expect(saved(refused.storage).sources.bluesky.enabled).toBe(false);
    checkbox('Bluesky').click();
    await flush();
    expect(refused.asked).toEqual([]);
    expect(saved(refused.storage).sources.bluesky.enabled).toBe(true);
    checkbox('X').click();
    await flush();
    expect(refused.asked).toEqual([['https://api.x.com/*']]);
    expect(root.textContent).toContain('permission for this source was refused');
    expect(saved(refused.storage).sources.x.enabled).toBe(false);
    render(null, root);

    const granted = fakeApi();
    render(<App api={granted.api} />, root);
    await flush();
    checkbox('X').click();
    await flush();
    expect(granted.asked).toEqual([['https://api.x.com/*']]);
    expect(saved(granted.storage).sources.x.enabled).toBe(true);
    // Hugging Face needs no optional permission.
    checkbox('Hugging Face').click();
    await flush();
    expect(granted.asked).toHaveLength(1);
    expect(saved(granted.storage).sources.hf.enabled).toBe(false);
  });

  it('sets how much bot posts and the authors\' own posts count on Bluesky (issue 16)', async () => {
    const api = fakeApi();
    render(<App api={api.api} />, root);
    await flush();
    const bot = root.querySelector<HTMLInputElement>('#botWeight-bluesky')!;
    const author = root.querySelector<HTMLInputElement>('#authorWeight-bluesky')!;
    expect([bot.value, author.value]).toEqual(['0.2', '0.5']);
    expect(root.querySelector('label[for="botWeight-bluesky"]')!.textContent).toBe('Bot posts count');
    input(bot, '0');
    await flush();
    input(author, '1');
    await flush();
    expect(saved(api.storage).sources.bluesky).toMatchObject({ botWeight: 0, authorWeight: 1 });
    // Sources without posts to tell apart have no such fields.
    expect(root.querySelector('#botWeight-hn')).toBeNull();
  });

  it('stores a credential apart from settings, shows it masked, and deletes it', async () => {
    const { api, storage, secrets, asked } = fakeApi();
    render(<App api={api} />, root);
    await flush();
    const token = 'AAAAAAAAAAAAAAAAAAAAAbearer-token-1234';
    input(root.querySelector<HTMLInputElement>('#x-bearer')!, token);
    await flush();
    root.querySelector('#x-bearer')!.parentElement!.querySelector('button')!.click();
    await flush();
    expect((secrets.data[CREDENTIALS_KEY] as { xBearer: string }).xBearer).toBe(token);
    // Not in storage.local, which content scripts can read (issue 20).
    expect(JSON.stringify(storage.data)).not.toContain(token);
    expect(root.textContent).not.toContain(token);
    expect(root.textContent).toContain('••••••••1234');
    expect(root.querySelector<HTMLInputElement>('#x-bearer')!.value).toBe('');
    expect(asked).toEqual([['https://api.x.com/*']]);
    button('Delete X API bearer token').click();
    await flush();
    expect(secrets.data[CREDENTIALS_KEY]).toEqual({});
    // Settings exports never include it.
    button('Export settings').click();
    expect(JSON.stringify(storage.data[SETTINGS_KEY] ?? {})).not.toContain('bearer');
  });

  it('X: a daily post budget with what it costs beside it, saved as typed, and what X reads and costs', async () => {
    const { api, storage } = fakeApi();
    render(<App api={api} />, root);
    await flush();
    const budget = root.querySelector<HTMLInputElement>('#x-budget')!;
    expect(root.querySelector('label[for=x-budget]')!.textContent).toBe('X posts per day (budget)');
    expect(budget.value).toBe('200');
    expect(root.querySelector('#x-budget-hint')!.textContent).toBe('at most ≈ $1.00 a day');
    expect(budget.getAttribute('aria-describedby')).toBe('x-budget-hint');
    input(budget, '500');
    await flush();
    expect(saved(storage).xDailyPosts).toBe(500);
    expect(root.querySelector('#x-budget-hint')!.textContent).toBe('at most ≈ $2.50 a day');
    const explain = root.querySelector('.x-explain')!.textContent!;
    expect(explain).toContain('about $0.005 a post');
    expect(explain).toContain("text, author and retweet and like counts");
    expect(explain).toContain('no X request goes out until 00:00 UTC');
  });

  it('X: the estimate follows today\'s pace once X has read posts today', async () => {
    const { api } = fakeApi();
    // 10:00 UTC, 50 posts read: 120 a day at this pace, $0.60.
    api.request = (async (type: string) => (type === 'poll:state' ? { running: false, lastPoll: null, sources: [{ source: 'x', state: 'ok', usage: { day: '2026-11-25', posts: 50, requests: 1, budget: 200 } }] } : { ok: true })) as never;
    render(<App api={api} />, root);
    await flush(5);
    expect(root.querySelector('#x-budget-hint')!.textContent).toBe('≈ $0.60 a day at today\'s pace');
  });

  it('exports settings as a versioned file and clears the cache after confirmation', async () => {
    const { api, downloads, requests } = fakeApi({ [CREDENTIALS_KEY]: { s2Key: 'secret-s2-key-000000' } });
    render(<App api={api} />, root);
    await flush();
    button('Export settings').click();
    expect(downloads).toHaveLength(1);
    expect(downloads[0]!.filename).toBe('hot-papers-settings.json');
    expect(JSON.parse(downloads[0]!.text)).toMatchObject({ format: 'hot-papers-settings', version: SETTINGS_VERSION });
    expect(downloads[0]!.text).not.toContain('secret');
    // The page asked once, on opening, whether an upgrade set records aside.
    expect(requests.filter((r) => r !== 'poll:state' && r !== 'relevance:status')).toEqual(['upgrade:setAside']);
    button('Clear cached data').click();
    await flush();
    // The page asks what an upgrade set aside and the sources' state (X's use today, for its cost estimate); nothing is cleared yet.
    // (and For you's state, read-only)
    expect(requests.filter((r) => r !== 'relevance:status')).toEqual(['upgrade:setAside', 'poll:state']);
    button('Really clear all cached papers and signals').click();
    await flush();
    expect(requests.filter((r) => r !== 'relevance:status')).toEqual(['upgrade:setAside', 'poll:state', 'cache:clear']);
    expect(root.textContent).toContain('Cached data cleared.');
  });
});

describe('options page: records an upgrade set aside', () => {
  it('says how many there were and where they are kept, as the worker reports them', async () => {
    const { api, requests } = fakeApi();
    const reply = { records: [{ key: 'upgrade:v4:unreadable-signals', what: 'signals', count: 2 }] };
    api.request = (async (type: string) => {
      requests.push(type);
      return type === 'upgrade:setAside' ? reply : { ok: true };
    }) as OptionsApi['request'];
    render(<App api={api} />, root);
    await flush();
    expect(requests.filter((r) => r !== 'poll:state' && r !== 'relevance:status')).toEqual(['upgrade:setAside']);
    const notice = root.querySelector('.set-aside')!;
    expect(notice.getAttribute('role')).toBe('status');
    expect(notice.textContent).toBe(
      "When the extension last updated its storage, it set aside 2 engagement record(s) it could not read (damaged, or written by an older version's bug). Everything else was kept, and the numbers of those papers are fetched again at the next refresh. The records are kept, unused, in the extension's database under “upgrade:v4:unreadable-signals”.",
    );
  });

  it('shows nothing when there is nothing to tell, or the worker cannot answer', async () => {
    for (const answer of [async () => ({ records: [] }), async () => Promise.reject(new Error('worker gone'))]) {
      const { api } = fakeApi();
      api.request = answer as OptionsApi['request'];
      render(<App api={api} />, root);
      await flush();
      expect(root.querySelector('.set-aside')).toBeNull();
      expect(root.querySelector('#hot-threshold')).not.toBeNull();
      render(null, root);
    }
  });
});

describe('options page: quick changes', () => {
  const el = (id: string) => root.querySelector<HTMLInputElement | HTMLTextAreaElement>(`#${id}`)!;

  it('keeps two changes made before the page renders again, in separate fields and inside one group', async () => {
    const { api, storage } = fakeApi({ [SETTINGS_KEY]: { ...structuredClone(DEFAULT_SETTINGS), notifications: { enabled: true, quietHours: { start: '22:00', end: '07:00' }, dailyCap: 5 } } });
    render(<App api={api} />, root);
    await flush();
    // Each pair in one tick: the second change comes before the page re-renders after the first.
    input(el('hot-threshold'), '25');
    input(el('refresh-minutes'), '45');
    input(el('weight-hf'), '2.5');
    input(el('weight-hn'), '0.5');
    input(el('quiet-start'), '23:30');
    input(el('quiet-end'), '06:15');
    input(el('watch-authors'), 'Yoshua Bengio');
    input(el('watch-keywords'), 'diffusion');
    await flush(20);
    const s = saved(storage);
    expect(s.hotThreshold).toBe(25);
    expect(s.signalsRefreshMinutes).toBe(45);
    expect([s.sources.hf.weight, s.sources.hn.weight]).toEqual([2.5, 0.5]);
    expect(s.notifications.quietHours).toEqual({ start: '23:30', end: '06:15' });
    expect(s.watchlist).toMatchObject({ authors: ['Yoshua Bengio'], keywords: ['diffusion'] });
    // The page shows the same.
    expect([field('hot-threshold'), field('refresh-minutes'), field('weight-hf'), field('weight-hn'), field('quiet-start'), field('quiet-end')]).toEqual(['25', '45', '2.5', '0.5', '23:30', '06:15']);
  });

  it('does not undo a paper watched elsewhere while the page was open', async () => {
    const { api, storage } = fakeApi({ [SETTINGS_KEY]: structuredClone(DEFAULT_SETTINGS) });
    render(<App api={api} />, root);
    await flush();
    // The popup's star writes the watchlist while the options page shows the old one.
    saved(storage).watchlist.papers = ['2310.08262'];
    input(el('hot-threshold'), '30');
    await flush(20);
    expect(saved(storage).hotThreshold).toBe(30);
    expect(saved(storage).watchlist.papers).toEqual(['2310.08262']);
    expect(field('watch-papers')).toBe('2310.08262');
  });
});

/** Settings a user made on one machine: what an export of theirs carries. */
const mine: Settings = {
  ...structuredClone(DEFAULT_SETTINGS),
  categories: ['cs.CL', 'q-bio.NC'],
  hotThreshold: 25,
  notifications: { enabled: true, quietHours: { start: '23:00', end: '06:30' }, dailyCap: 3 },
  watchlist: { papers: ['2310.08262'], authors: ['Yoshua Bengio'], keywords: ['diffusion'] },
  retentionDays: 60,
};

describe('options page: settings import', () => {
  it("imports the page's own export: the form shows the imported values and they are saved", async () => {
    const { api, storage, downloads } = fakeApi({ [SETTINGS_KEY]: mine });
    render(<App api={api} />, root);
    await flush();
    button('Export settings').click();
    const exported = downloads[0]!.text;
    // Then the user changes their mind about everything…
    input(root.querySelector<HTMLInputElement>('#categories')!, 'cs.AI');
    await flush();
    input(root.querySelector<HTMLInputElement>('#hot-threshold')!, '40');
    await flush();
    input(root.querySelector<HTMLTextAreaElement>('#watch-authors')!, 'Geoffrey Hinton');
    await flush();
    expect(saved(storage)).toMatchObject({ categories: ['cs.AI'], hotThreshold: 40, watchlist: { authors: ['Geoffrey Hinton'] } });

    // …and imports the file back.
    await importFile(exported);
    expect(dataStatus()).toBe('Settings imported.');
    expect(root.querySelector('.problems')).toBeNull();
    expect(field('categories')).toBe('cs.CL, q-bio.NC');
    expect(field('hot-threshold')).toBe('25');
    expect(field('watch-authors')).toBe('Yoshua Bengio');
    expect(field('watch-papers')).toBe('2310.08262');
    expect(field('watch-keywords')).toBe('diffusion');
    expect(field('daily-cap')).toBe('3');
    expect(field('quiet-start')).toBe('23:00');
    expect(field('retention')).toBe('60');
    expect(saved(storage)).toEqual(mine);
  });

  it('imports a file exported on another machine into a fresh install', async () => {
    const { api, storage } = fakeApi();
    render(<App api={api} />, root);
    await flush();
    expect(field('hot-threshold')).toBe('10');
    await importFile(exportSettings(mine, Date.parse('2026-11-20T08:00:00Z')));
    expect(dataStatus()).toBe('Settings imported.');
    expect(field('categories')).toBe('cs.CL, q-bio.NC');
    expect(field('hot-threshold')).toBe('25');
    expect(saved(storage)).toEqual(mine);
  });

  it.each([
    ['not JSON', 'categories: cs.LG\nthreshold: 25\n', 'This file is not JSON. Choose a file exported from Hot Papers settings.'],
    ['JSON of another format', JSON.stringify({ format: 'zotero-prefs', version: 1, settings: { hotThreshold: 99 } }), 'This JSON file is not a Hot Papers settings export.'],
    ['a bare settings object (no envelope)', JSON.stringify(mine), 'This JSON file is not a Hot Papers settings export.'],
    ['a file from a newer version', JSON.stringify({ format: 'hot-papers-settings', version: 7, settings: { ...mine, hotThreshold: 99 } }), 'The settings file is from a newer version of the extension (format 7); update the extension first.'],
    ['a version of the wrong type', JSON.stringify({ format: 'hot-papers-settings', version: '1', settings: { ...mine, hotThreshold: 99 } }), 'The settings file has no version number.'],
    ['settings of the wrong type', JSON.stringify({ format: 'hot-papers-settings', version: 1, settings: 'cs.LG' }), 'The settings file contains no settings.'],
  ])('refuses %s with a message naming the problem, and changes nothing', async (_what, text, message) => {
    const { api, storage } = fakeApi({ [SETTINGS_KEY]: mine });
    render(<App api={api} />, root);
    await flush();
    const before = structuredClone(storage.data);
    await importFile(text);
    expect(dataStatus()).toBe(message);
    expect(root.textContent).not.toContain('Settings imported');
    expect(root.textContent).not.toContain('Settings saved');
    expect(storage.data).toEqual(before);
    expect(field('categories')).toBe('cs.CL, q-bio.NC');
    expect(field('hot-threshold')).toBe('25');
    expect(field('watch-authors')).toBe('Yoshua Bengio');
  });

  it('names a field of the wrong type, resets only that field to its default and imports the rest', async () => {
    // Field-by-field repair, as for stored settings (docs/decisions.md): the page says which value
    // was dropped and what it became, instead of refusing a whole file for one bad value.
    const { api, storage } = fakeApi();
    render(<App api={api} />, root);
    await flush();
    const doc = JSON.parse(exportSettings(mine, Date.parse('2026-11-20T08:00:00Z')));
    doc.settings.hotThreshold = 'very hot';
    doc.settings.watchlist.authors = 'Yoshua Bengio';
    await importFile(JSON.stringify(doc));
    expect(dataStatus()).toBe('Settings imported; 2 value(s) were invalid and reset to defaults.');
    const problems = root.querySelector('.problems')!;
    expect(problems.getAttribute('role')).toBe('alert');
    expect(problems.textContent).toContain('Some imported settings were invalid and were reset to their defaults:');
    expect([...problems.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'hotThreshold: must be a number from 0 to 1000; reset to 10',
      'watchlist.authors: is not a valid list; reset to default',
    ]);
    expect(field('hot-threshold')).toBe('10');
    expect(field('watch-authors')).toBe('');
    expect(field('categories')).toBe('cs.CL, q-bio.NC');
    expect(saved(storage)).toEqual({ ...mine, hotThreshold: 10, watchlist: { ...mine.watchlist, authors: [] } });

    // A good import afterwards clears the list of problems.
    await importFile(exportSettings(mine, Date.parse('2026-11-20T08:00:00Z')));
    expect(root.querySelector('.problems')).toBeNull();
    expect(field('hot-threshold')).toBe('25');
  });
});
