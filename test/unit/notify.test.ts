import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HotDb } from '../../lib/store/db';
import { afterPoll, inQuietHours, notificationTarget } from '../../lib/worker/notify';
import { popupHandlers } from '../../lib/worker/popup-handlers';
import type { Settings } from '../../lib/settings';
import type { Paper, PollReport } from '../../lib/types';
import { fakeEnv, freshDb, list, memStorage, NOW, realPapers, signal, useEnglish } from './popup-test-kit';

let db: HotDb;
let papers: Paper[];
const se = () => papers.filter((p) => p.primaryCategory === 'cs.SE');

const report = (t = NOW): PollReport => ({ startedAt: t - 5000, finishedAt: t, reason: 'alarm', feeds: [{ feed: 'https://rss.arxiv.org/rss/cs.SE', status: 'ok', added: 3, unchanged: 0, skipped: 0 }], sources: [] });
// Local time = UTC here unless a test says otherwise.
const UTC = { timezoneOffsetMinutes: 0 };

function storage(patch: Partial<Settings> = {}) {
  return memStorage({ categories: ['cs.SE'], hotThreshold: 10, ...patch });
}

/** Three hot cs.SE papers (heat from HF upvotes) and one without signals, announced on 2023-10-26. */
async function seedHot(): Promise<string[]> {
  const [a, b, c, d] = se();
  await list(db, a!, '2310.90001', '2023-10-26', 'new', ['cs.SE']);
  await list(db, b!, '2310.90002', '2023-10-26', 'new', ['cs.SE']);
  await list(db, c!, '2310.90003', '2023-10-26', 'new', ['cs.SE']);
  await list(db, d!, '2310.90004', '2023-10-26', 'new', ['cs.SE']);
  await signal(db, '2310.90001', 'hf', { upvotes: 80 });
  await signal(db, '2310.90002', 'hf', { upvotes: 300 });
  await signal(db, '2310.90003', 'hf', { upvotes: 150 });
  return [b!.title, c!.title, a!.title];
}

beforeAll(() => {
  useEnglish();
  papers = realPapers();
});
beforeEach(async () => {
  db = await freshDb();
});

describe('afterPoll', () => {
  it('shows one grouped notification for new hot papers and badges the unseen count', async () => {
    const titles = await seedHot();
    const env = fakeEnv(db, storage());
    await afterPoll(env, report(), UTC);
    expect(env.shown).toHaveLength(1);
    const n = env.shown[0]!;
    expect(n.title).toBe('3 hot papers in cs.SE today');
    expect(n.items!.map((i) => i.title)).toEqual(titles);
    expect(notificationTarget(n.id)).toBe('/popup.html');
    expect(env.badges.at(-1)!.text).toBe('3');
    expect(env.badges.at(-1)!.title).toMatch(/Last poll .*: all fine/);
  });

  it('never notifies the same paper twice, also after a worker restart', async () => {
    await seedHot();
    await afterPoll(fakeEnv(db, storage()), report(), UTC);
    // A restart: a new environment over the same database.
    const restarted = fakeEnv(db, storage(), NOW + 3_600_000);
    await afterPoll(restarted, report(NOW + 3_600_000), UTC);
    expect(restarted.shown).toEqual([]);
    // A paper that turns hot later gets its own (single-paper) notification, which opens its abs page.
    await signal(db, '2310.90004', 'hf', { upvotes: 90 }, NOW + 7_200_000);
    const later = fakeEnv(db, storage(), NOW + 7_200_000);
    await afterPoll(later, report(NOW + 7_200_000), UTC);
    expect(later.shown).toHaveLength(1);
    expect(later.shown[0]!.title).toBe('A hot paper in cs.SE today');
    expect(notificationTarget(later.shown[0]!.id)).toBe('https://arxiv.org/abs/2310.90004');
  });

  it('notifies watchlist matches one by one, apart from the group', async () => {
    await seedHot();
    const author = se()[3]!.authors[0]!;
    const env = fakeEnv(db, storage({ watchlist: { papers: ['2310.90002'], authors: [author], keywords: [] } }));
    await afterPoll(env, report(), UTC);
    const titles = env.shown.map((n) => n.title);
    expect(titles).toContain(`New paper by ${author}`);
    expect(titles).toContain('A paper on your watchlist is getting hot');
    expect(titles).toContain('2 hot papers in cs.SE today');
    expect(env.shown).toHaveLength(3);
    const byAuthor = env.shown.find((n) => n.title.startsWith('New paper by'))!;
    expect(notificationTarget(byAuthor.id)).toBe('https://arxiv.org/abs/2310.90004');
  });

  it('stays silent in quiet hours that cross midnight, and notifies after them', async () => {
    await seedHot();
    const quiet = { quietHours: { start: '22:00', end: '07:00' }, enabled: true, dailyCap: 10 };
    const at = (hhmm: string) => Date.parse(`2023-10-27T${hhmm}:00Z`);
    for (const t of [at('23:30'), at('00:10'), at('06:59')]) {
      const env = fakeEnv(db, storage({ notifications: quiet }), t);
      await afterPoll(env, report(t), UTC);
      expect(env.shown, new Date(t).toISOString()).toEqual([]);
      expect(env.badges.at(-1)!.text).toBe('3');
    }
    // 04:30 UTC is 06:30 in UTC+2: still quiet there.
    const east = fakeEnv(db, storage({ notifications: quiet }), at('04:30'));
    await afterPoll(east, report(at('04:30')), { timezoneOffsetMinutes: 120 });
    expect(east.shown).toEqual([]);
    const morning = fakeEnv(db, storage({ notifications: quiet }), at('07:00'));
    await afterPoll(morning, report(at('07:00')), UTC);
    expect(morning.shown).toHaveLength(1);
  });

  it('respects the daily cap and starts counting again the next day', async () => {
    await seedHot();
    const author = se()[3]!.authors[0]!;
    const s = () => storage({ notifications: { enabled: true, quietHours: null, dailyCap: 1 }, watchlist: { papers: [], authors: [author], keywords: [] } });
    const first = fakeEnv(db, s());
    await afterPoll(first, report(), UTC);
    expect(first.shown).toHaveLength(1);
    const same = fakeEnv(db, s(), NOW + 3_600_000);
    await afterPoll(same, report(NOW + 3_600_000), UTC);
    expect(same.shown).toEqual([]);
    const next = fakeEnv(db, s(), NOW + 86_400_000);
    await afterPoll(next, report(NOW + 86_400_000), UTC);
    expect(next.shown.map((n) => n.title)).toEqual([`New paper by ${author}`]);
  });

  it('shows nothing when notifications are off, but still badges', async () => {
    await seedHot();
    const env = fakeEnv(db, storage({ notifications: { enabled: false, quietHours: null, dailyCap: 10 } }));
    await afterPoll(env, report(), UTC);
    expect(env.shown).toEqual([]);
    expect(env.badges.at(-1)!.text).toBe('3');
    // Turning them on later still notifies: nothing was claimed while they were off.
    const on = fakeEnv(db, storage());
    await afterPoll(on, report(), UTC);
    expect(on.shown).toHaveLength(1);
  });

  it('says in the action title when the last poll failed', async () => {
    const env = fakeEnv(db, storage());
    const failed: PollReport = { ...report(), feeds: [{ feed: 'https://rss.arxiv.org/rss/cs.SE', status: 'error', added: 0, unchanged: 0, skipped: 0, error: 'arXiv did not answer' }] };
    await afterPoll(env, failed, UTC);
    expect(env.badges.at(-1)).toEqual({ text: '', title: expect.stringMatching(/1 arXiv feed\(s\) failed/) });
  });

  it('opening the popup marks hot papers seen and clears the badge', async () => {
    await seedHot();
    const st = storage();
    const env = fakeEnv(db, st);
    await afterPoll(env, report(), UTC);
    const list = await popupHandlers(env)['hotlist:get']({ view: 'today' });
    expect(list.items.filter((v) => v.isNew)).toHaveLength(4);
    await popupHandlers(env)['popup:seen']({ ids: list.items.map((v) => v.paper.id) });
    expect(env.badges.at(-1)!.text).toBe('');
    const again = fakeEnv(db, st, NOW + 60_000);
    await afterPoll(again, report(NOW + 60_000), UTC);
    expect(again.badges.at(-1)!.text).toBe('');
    expect((await popupHandlers(again)['hotlist:get']({ view: 'today' })).items.some((v) => v.isNew)).toBe(false);
  });

  it('opening the popup marks seen what the badge counted, watched papers outside Today included, so the badge stays clear', async () => {
    await seedHot();
    // A watched paper of an older announcement getting hot: counted by the badge, never in Today.
    const watched = await list(db, se()[4]!, '2310.80001', '2023-10-20', 'new', ['cs.SE']);
    await signal(db, watched.id, 'hf', { upvotes: 200 });
    const st = storage({ watchlist: { papers: [watched.id], authors: [], keywords: [] } });
    const env = fakeEnv(db, st);
    await afterPoll(env, report(), UTC);
    expect(env.badges.at(-1)!.text).toBe('4');
    const today = await popupHandlers(env)['hotlist:get']({ view: 'today' });
    expect(today.items.map((v) => v.paper.id)).not.toContain(watched.id);
    // The popup sends the ids of the Today rows it shows, as it does.
    await popupHandlers(env)['popup:seen']({ ids: today.items.map((v) => v.paper.id) });
    expect(env.badges.at(-1)!.text).toBe('');
    const next = fakeEnv(db, st, NOW + 60_000);
    await afterPoll(next, report(NOW + 60_000), UTC);
    expect(next.badges.at(-1)!.text).toBe('');
    // A hot paper the popup has not shown yet is counted.
    await list(db, se()[5]!, '2310.90005', '2023-10-26', 'new', ['cs.SE']);
    await signal(db, '2310.90005', 'hf', { upvotes: 90 }, NOW + 120_000);
    await afterPoll(next, report(NOW + 120_000), UTC);
    expect(next.badges.at(-1)!.text).toBe('1');
  });
});

describe('quiet hours and notification targets', () => {
  it.each([
    ['22:00', '07:00', 22 * 60, true],
    ['22:00', '07:00', 7 * 60, false],
    ['22:00', '07:00', 12 * 60, false],
    ['01:00', '05:00', 3 * 60, true],
    ['01:00', '05:00', 23 * 60, false],
    ['08:00', '08:00', 8 * 60, false],
  ])('%s–%s at minute %i → %s', (start, end, minute, quiet) => {
    expect(inQuietHours(minute, { start, end })).toBe(quiet);
  });

  it('maps ids to pages and refuses to build a URL from anything but a valid id', () => {
    expect(notificationTarget('hp:paper:hep-th/9901001:123')).toBe('https://arxiv.org/abs/hep-th/9901001');
    expect(notificationTarget('hp:paper:javascript:alert(1):123')).toBe('/popup.html');
    expect(notificationTarget('something-else')).toBe('/popup.html');
  });
});
