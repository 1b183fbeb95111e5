// @vitest-environment happy-dom
import { render } from 'preact';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { App, type OptionsApi } from '../../entrypoints/options/App';
import { CREDENTIALS_KEY } from '../../lib/credentials';
import { SETTINGS_KEY, type Settings } from '../../lib/settings';
import { memStorage, useEnglish } from '../unit/popup-test-kit';

let root: HTMLElement;
const flush = async (n = 6) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setTimeout(r, 0));
};

function fakeApi(stored: Record<string, unknown> = {}, grant = true) {
  const storage = memStorage();
  Object.assign(storage.data, structuredClone(stored));
  const asked: string[][] = [];
  const requests: string[] = [];
  const downloads: { text: string; filename: string }[] = [];
  const api: OptionsApi = {
    storage,
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
  return { api, storage, asked, requests, downloads };
}

const saved = (storage: { data: Record<string, unknown> }) => storage.data[SETTINGS_KEY] as Settings;
const input = (el: HTMLInputElement | HTMLTextAreaElement, value: string) => {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
};
const checkbox = (label: string) => [...root.querySelectorAll('label')].find((l) => l.textContent?.trim() === label)!.querySelector('input')!;
const button = (name: string) => [...root.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name)!;

beforeAll(useEnglish);
beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
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

  it('asks for the host permission when Bluesky is turned on, and keeps it off when refused', async () => {
    const refused = fakeApi({}, false);
    render(<App api={refused.api} />, root);
    await flush();
    // Bluesky is on by default: off (no question asked), then on again.
    checkbox('Bluesky').click();
    await flush();
    expect(refused.asked).toEqual([]);
    expect(saved(refused.storage).sources.bluesky.enabled).toBe(false);
    checkbox('Bluesky').click();
    await flush();
    expect(refused.asked).toEqual([['https://bsky.social/*', 'https://*.bsky.network/*']]);
    expect(root.textContent).toContain('permission for this source was refused');
    expect(saved(refused.storage).sources.bluesky.enabled).toBe(false);
    render(null, root);

    const granted = fakeApi();
    render(<App api={granted.api} />, root);
    await flush();
    checkbox('X').click();
    await flush();
    expect(granted.asked).toEqual([['https://api.twitter.com/*', 'https://api.x.com/*']]);
    expect(saved(granted.storage).sources.x.enabled).toBe(true);
    // Hugging Face needs no optional permission.
    checkbox('Hugging Face').click();
    await flush();
    expect(granted.asked).toHaveLength(1);
    expect(saved(granted.storage).sources.hf.enabled).toBe(false);
  });

  it('stores a credential apart from settings, shows it masked, and deletes it', async () => {
    const { api, storage, asked } = fakeApi();
    render(<App api={api} />, root);
    await flush();
    const token = 'AAAAAAAAAAAAAAAAAAAAAbearer-token-1234';
    input(root.querySelector<HTMLInputElement>('#x-bearer')!, token);
    await flush();
    root.querySelector('#x-bearer')!.parentElement!.querySelector('button')!.click();
    await flush();
    expect((storage.data[CREDENTIALS_KEY] as { xBearer: string }).xBearer).toBe(token);
    expect(root.textContent).not.toContain(token);
    expect(root.textContent).toContain('••••••••1234');
    expect(root.querySelector<HTMLInputElement>('#x-bearer')!.value).toBe('');
    expect(asked).toEqual([['https://api.twitter.com/*', 'https://api.x.com/*']]);
    button('Delete X API bearer token').click();
    await flush();
    expect(storage.data[CREDENTIALS_KEY]).toEqual({});
    // Settings exports never include it.
    button('Export settings').click();
    expect(JSON.stringify(storage.data[SETTINGS_KEY] ?? {})).not.toContain('bearer');
  });

  it('exports settings as a versioned file and clears the cache after confirmation', async () => {
    const { api, downloads, requests } = fakeApi({ [CREDENTIALS_KEY]: { s2Key: 'secret-s2-key-000000' } });
    render(<App api={api} />, root);
    await flush();
    button('Export settings').click();
    expect(downloads).toHaveLength(1);
    expect(downloads[0]!.filename).toBe('hot-papers-settings.json');
    expect(JSON.parse(downloads[0]!.text)).toMatchObject({ format: 'hot-papers-settings', version: 1 });
    expect(downloads[0]!.text).not.toContain('secret');
    button('Clear cached data').click();
    await flush();
    expect(requests).toEqual([]);
    button('Really clear all cached papers and signals').click();
    await flush();
    expect(requests).toEqual(['cache:clear']);
    expect(root.textContent).toContain('Cached data cleared.');
  });
});
