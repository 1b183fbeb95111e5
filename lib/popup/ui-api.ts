/**
 * What the popup and options page need from the browser, as one object: the real one is built in
 * the entrypoint from `browser`, DOM tests pass a fake.
 */
import type { MessageType, Req, Res } from '../messages';

export interface UiApi {
  request<K extends MessageType>(type: K, payload: Req<K>): Promise<Res<K>>;
  openUrl(url: string): void;
  openOptions(): void;
  now(): number;
  online(): boolean;
  copy(text: string): Promise<void>;
  download(text: string, filename: string, mime: string): void;
}

/** Saves text as a file through a temporary object URL (no HTML sink involved). */
export function downloadText(doc: Document, text: string, filename: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${mime};charset=utf-8` }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = filename;
  doc.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
