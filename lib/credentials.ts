/**
 * The user's own credentials for sources that need an account (Bluesky app password, X bearer
 * token, optional Semantic Scholar key). They live under CREDENTIALS_KEY in the secret store
 * (lib/store/secret-store.ts: extension-origin IndexedDB, which content scripts cannot read; older
 * versions used storage.local) — never in settings, so they are never synced or exported — and
 * are only ever attached to requests for their own source's hosts (guardFetch).
 */
import type { FetchFn } from './http';
import type { KeyValueStorage } from './settings';
import type { Credentials, SourceId } from './types';

/** What the host guard needs of a source (lib/sources/types.ts EngagementSource has both). */
type SourceHosts = { readonly hosts: readonly string[]; readonly label: string };

export const CREDENTIALS_KEY = 'credentials';

/** Secret-store key of an account source's own state (e.g. the Bluesky session tokens). */
export const accountStateKey = (source: SourceId): string => `source-state:${source}`;

const STATE_OF: Record<keyof Credentials, SourceId> = { bluesky: 'bluesky', xBearer: 'x', s2Key: 's2' };

const str = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= 4096;

// `store`, not `storage`: see loadSettings in lib/settings.ts (WXT's auto-import).
/** Reads credentials, dropping anything malformed (a bad stored value is treated as "not signed in"). */
export async function getCredentials(store: KeyValueStorage): Promise<Credentials> {
  const raw = (await store.get(CREDENTIALS_KEY))[CREDENTIALS_KEY];
  const out: Credentials = {};
  if (typeof raw !== 'object' || raw === null) return out;
  const r = raw as Record<string, unknown>;
  const b = r.bluesky as Record<string, unknown> | undefined;
  if (b && typeof b === 'object' && str(b.handle) && str(b.appPassword)) out.bluesky = { handle: b.handle.trim(), appPassword: b.appPassword.trim() };
  if (str(r.xBearer)) out.xBearer = r.xBearer.trim();
  if (str(r.s2Key)) out.s2Key = r.s2Key.trim();
  return out;
}

/** Merges `patch` into the stored credentials; a field set to undefined is removed. */
export async function setCredentials(store: KeyValueStorage, patch: Partial<Credentials>): Promise<Credentials> {
  const cur = await getCredentials(store);
  const next: Credentials = { ...cur };
  for (const k of Object.keys(patch) as (keyof Credentials)[]) {
    if (patch[k] === undefined) delete next[k];
    else (next as Record<string, unknown>)[k] = patch[k];
  }
  await store.set({ [CREDENTIALS_KEY]: next });
  return getCredentials(store);
}

/** Forgets one credential (or all of them), with any session derived from it. */
export async function deleteCredentials(store: KeyValueStorage, which?: keyof Credentials): Promise<void> {
  if (!which) {
    await store.set({ [CREDENTIALS_KEY]: {}, ...Object.fromEntries(Object.values(STATE_OF).map((id) => [accountStateKey(id), {}])) });
    return;
  }
  const cur = await getCredentials(store);
  delete cur[which];
  await store.set({ [CREDENTIALS_KEY]: cur, [accountStateKey(STATE_OF[which])]: {} });
}

/** Only the credentials that belong to `source` (a source never sees another's secrets). */
export function credentialsFor(source: SourceId, all: Credentials): Credentials {
  if (source === 'bluesky' && all.bluesky) return { bluesky: all.bluesky };
  if (source === 'x' && all.xBearer) return { xBearer: all.xBearer };
  if (source === 's2' && all.s2Key) return { s2Key: all.s2Key };
  return {};
}

/** Every secret string in `c`, for scrubbing messages. */
export function secretsOf(c: Credentials): string[] {
  return [c.bluesky?.appPassword, c.xBearer, c.s2Key].filter((s): s is string => typeof s === 'string' && s.length > 0);
}

/** Replaces any occurrence of a secret in `text` with a mask. */
export function scrubSecrets(text: string, c: Credentials): string {
  let out = text;
  for (const s of secretsOf(c)) out = out.split(s).join('••••');
  return out;
}

/** For display: never the secret itself, only that one is set and its last characters when long. */
export function maskSecret(secret: string | undefined): string {
  if (!secret) return '';
  return secret.length >= 16 ? `••••••••${secret.slice(-4)}` : '••••••••';
}

export class CredentialHostError extends Error {
  override name = 'CredentialHostError';
}

function hostOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' ? u.hostname.toLowerCase() : null;
  } catch {
    return null;
  }
}

/** True when `url` is an https URL on one of the source's own hosts. */
export function isOwnHost(source: Pick<SourceHosts, 'hosts'>, url: string): boolean {
  const h = hostOf(url);
  return h !== null && source.hosts.includes(h);
}

/**
 * Wraps fetch for one source: a request to any host outside `source.hosts` (or not https) is
 * refused before it leaves, so a credential attached by the source can never reach another host,
 * even through a payload-supplied URL. `onRequest` counts requests actually sent.
 *
 * With `credentialed` (the user gave this source a credential) no request follows a redirect: the
 * browser would re-send a POST body (Bluesky's app password on a 307) or the request to whatever
 * host the Location names, past the host check above. The reply is then an opaque redirect, which
 * lib/http.ts reports as a 'redirect' error.
 */
export function guardFetch(source: SourceHosts, fetch: FetchFn, onRequest?: () => void, opts: { credentialed?: boolean } = {}): FetchFn {
  return (input, init) => {
    if (!isOwnHost(source, input)) {
      return Promise.reject(new CredentialHostError(`${source.label} tried to contact a host it is not allowed to`));
    }
    onRequest?.();
    return fetch(input, opts.credentialed ? { ...init, redirect: 'manual' } : init);
  };
}
