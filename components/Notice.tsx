/** A one-line explanation above the list (weekend, no signals yet, offline). */
export function Notice({ text, kind }: { text: string; kind: 'info' | 'warn' }) {
  return <p class={`notice notice-${kind}`}>{text}</p>;
}
