import { describe, expect, it } from 'vitest';
import { CREDENTIALS_KEY, credentialsFor, deleteCredentials, getCredentials, guardFetch, isOwnHost, maskSecret, scrubSecrets, setCredentials } from '../../lib/credentials';
import { SETTINGS_KEY, saveSettings, DEFAULT_SETTINGS, type KeyValueStorage } from '../../lib/settings';

function memStorage(): KeyValueStorage & { raw: Map<string, unknown> } {
  const raw = new Map<string, unknown>();
  return {
    raw,
    get: async (k) => (raw.has(k) ? { [k]: structuredClone(raw.get(k)) } : {}),
    set: async (items) => void Object.entries(items).forEach(([k, v]) => raw.set(k, structuredClone(v))),
  };
}

describe('credentials', () => {
  it('are stored under their own key, apart from settings, and can be removed one by one', async () => {
    const st = memStorage();
    await saveSettings(st, DEFAULT_SETTINGS);
    await setCredentials(st, { xBearer: ' tok-1234567890abcdef ', bluesky: { handle: 'me.bsky.social', appPassword: 'aaaa-bbbb-cccc-dddd' } });
    expect(await getCredentials(st)).toEqual({ xBearer: 'tok-1234567890abcdef', bluesky: { handle: 'me.bsky.social', appPassword: 'aaaa-bbbb-cccc-dddd' } });
    expect(JSON.stringify(st.raw.get(SETTINGS_KEY))).not.toContain('tok-');
    await deleteCredentials(st, 'xBearer');
    expect(await getCredentials(st)).toEqual({ bluesky: { handle: 'me.bsky.social', appPassword: 'aaaa-bbbb-cccc-dddd' } });
    await deleteCredentials(st);
    expect(await getCredentials(st)).toEqual({});
  });

  it('ignore malformed stored values instead of failing', async () => {
    const st = memStorage();
    await st.set({ [CREDENTIALS_KEY]: { xBearer: 42, bluesky: { handle: 'x' }, s2Key: '' } });
    expect(await getCredentials(st)).toEqual({});
    await st.set({ [CREDENTIALS_KEY]: 'garbage' });
    expect(await getCredentials(st)).toEqual({});
  });

  it('are masked for display and scrubbed from messages', () => {
    expect(maskSecret('AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0z3F')).toBe('••••••••0z3F');
    expect(maskSecret('short-pass')).toBe('••••••••');
    expect(maskSecret(undefined)).toBe('');
    expect(scrubSecrets('failed with abc-secret-123 twice abc-secret-123', { s2Key: 'abc-secret-123' })).toBe('failed with •••• twice ••••');
  });

  it('each source sees only its own credential', () => {
    const all = { xBearer: 't', bluesky: { handle: 'h', appPassword: 'p' }, s2Key: 'k' };
    expect(credentialsFor('x', all)).toEqual({ xBearer: 't' });
    expect(credentialsFor('bluesky', all)).toEqual({ bluesky: all.bluesky });
    expect(credentialsFor('s2', all)).toEqual({ s2Key: 'k' });
    expect(credentialsFor('hn', all)).toEqual({});
  });

  it('the guard refuses any request outside the source\'s hosts (and plain http)', async () => {
    const sent: string[] = [];
    const fetch = guardFetch({ hosts: ['api.x.com'], label: 'X' }, async (u) => (sent.push(u), new Response('{}')));
    await fetch('https://api.x.com/2/tweets/search/recent?query=a', { headers: { Authorization: 'Bearer t' } });
    await expect(fetch('https://api.x.com.evil.example/2/', { headers: { Authorization: 'Bearer t' } })).rejects.toThrow(/not allowed/);
    await expect(fetch('http://api.x.com/2/')).rejects.toThrow(/not allowed/);
    await expect(fetch('https://user@evil.example/')).rejects.toThrow(/not allowed/);
    expect(sent).toEqual(['https://api.x.com/2/tweets/search/recent?query=a']);
    expect(isOwnHost({ hosts: ['bsky.social'] }, 'https://bsky.social/xrpc/x')).toBe(true);
    expect(isOwnHost({ hosts: ['bsky.social'] }, 'not a url')).toBe(false);
  });

  it('with a credential, every request is sent with redirect: manual; without one, the browser default stands', async () => {
    const inits: (RequestInit | undefined)[] = [];
    const spy = async (_u: string, init?: RequestInit) => (inits.push(init), new Response('{}'));
    await guardFetch({ hosts: ['bsky.social'], label: 'Bluesky' }, spy, undefined, { credentialed: true })('https://bsky.social/xrpc/x', { method: 'POST', body: '{}' });
    await guardFetch({ hosts: ['huggingface.co'], label: 'HF' }, spy)('https://huggingface.co/api/papers/1');
    expect(inits[0]).toMatchObject({ method: 'POST', body: '{}', redirect: 'manual' });
    expect(inits[1]?.redirect).toBeUndefined();
  });
});
