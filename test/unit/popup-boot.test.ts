import { describe, expect, it } from 'vitest';
import { FIRST_PAGE as APP_FIRST_PAGE } from '../../entrypoints/popup/App';
import { request } from '../../lib/messages';
import { BOOT_KEY, FIRST_PAGE, PREVIEW_BOOT_KEY, PREVIEW_KEY, readBootPreview, sendBootRequest, takeBootPreview, takeBootRequest } from '../../lib/popup/boot';

describe('popup boot request', () => {
  it("asks for Today's first screenful, the same number of rows the app paints first", async () => {
    const sent: unknown[] = [];
    const g: Record<string, unknown> = {};
    sendBootRequest(g, { sendMessage: async (m) => (sent.push(m), { ok: true, value: { items: [] } }) });
    expect(sent).toEqual([{ type: 'hotlist:get', payload: { view: 'today', limit: FIRST_PAGE } }]);
    expect(FIRST_PAGE).toBe(APP_FIRST_PAGE);
    const pending = takeBootRequest(g);
    expect(pending).toBeDefined();
    // The app unwraps it like any request.
    await expect(request(() => pending!, 'hotlist:get', { view: 'today', limit: FIRST_PAGE })).resolves.toEqual({ items: [] });
    // Taken once: a second take (or another opening) asks afresh.
    expect(takeBootRequest(g)).toBeUndefined();
  });

  it('leaves nothing when there is no runtime, sendMessage throws or returns no promise (the app then asks itself)', () => {
    for (const runtime of [undefined, { sendMessage: () => { throw new Error('Extension context invalidated.'); } }, { sendMessage: () => undefined }]) {
      const g: Record<string, unknown> = {};
      expect(() => sendBootRequest(g, runtime)).not.toThrow();
      expect(BOOT_KEY in g).toBe(false);
      expect(takeBootRequest(g)).toBeUndefined();
    }
  });

  it('keeps a failed answer for the app to report, without an unhandled rejection', async () => {
    const g: Record<string, unknown> = {};
    sendBootRequest(g, { sendMessage: () => Promise.reject(new Error('Could not establish connection. Receiving end does not exist.')) });
    await new Promise((r) => setTimeout(r, 0));
    await expect(request(() => takeBootRequest(g)!, 'hotlist:get', { view: 'today', limit: FIRST_PAGE })).rejects.toThrow('Receiving end does not exist');
  });

  it('reads the preview from storage.session and leaves it for the app once', async () => {
    const g: Record<string, unknown> = {};
    const asked: string[] = [];
    const session = { get: async (key: string) => (asked.push(key), { [key]: { v: 1, list: 'stored' } }) };
    const read = readBootPreview(g, session);
    expect(asked).toEqual([PREVIEW_KEY]);
    await expect(read).resolves.toEqual({ v: 1, list: 'stored' });
    await expect(takeBootPreview(g)).resolves.toEqual({ v: 1, list: 'stored' });
    expect(takeBootPreview(g)).toBeUndefined();
  });

  it('without a usable session area there is no read to wait for, and no unhandled rejection', async () => {
    for (const session of [undefined, { get: () => { throw new Error('Access to storage is not allowed from this context.'); } }, { get: () => undefined }]) {
      const g: Record<string, unknown> = {};
      expect(readBootPreview(g, session)).toBeUndefined();
      expect(PREVIEW_BOOT_KEY in g).toBe(false);
    }
    const g: Record<string, unknown> = {};
    const read = readBootPreview(g, { get: () => Promise.reject(new Error('gone')) });
    await expect(read).rejects.toThrow('gone');
    await expect(takeBootPreview(g)).rejects.toThrow('gone');
  });
});
