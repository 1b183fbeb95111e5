import { useEffect, useState } from 'preact/hooks';

/** One entry per line; reports the trimmed, de-duplicated list. */
export function ListInput({ id, value, onChange, describedBy }: { id: string; value: string[]; onChange(v: string[]): void; describedBy?: string }) {
  const [text, setText] = useState(value.join('\n'));
  useEffect(() => {
    const mine = [...new Set(text.split('\n').map((s) => s.trim()).filter(Boolean))];
    if (mine.join('\n') !== value.join('\n')) setText(value.join('\n'));
  }, [value.join('\n')]);
  return (
    <textarea
      id={id}
      rows={4}
      value={text}
      aria-describedby={describedBy}
      onInput={(e) => {
        const v = (e.currentTarget as HTMLTextAreaElement).value;
        setText(v);
        onChange([...new Set(v.split('\n').map((s) => s.trim()).filter(Boolean))]);
      }}
    />
  );
}
