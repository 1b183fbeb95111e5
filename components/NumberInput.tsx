import { useEffect, useState } from 'preact/hooks';

/** A number field that keeps what is typed until it is a valid number in range, then reports it. */
export function NumberInput({ id, value, min, max, step, onChange }: { id: string; value: number; min: number; max: number; step?: number; onChange(n: number): void }) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const n = Number(text);
  const valid = text.trim() !== '' && Number.isFinite(n) && n >= min && n <= max;
  return (
    <input
      id={id}
      type="number"
      min={min}
      max={max}
      step={step ?? 1}
      value={text}
      aria-invalid={!valid}
      aria-describedby={`${id}-hint`}
      onInput={(e) => {
        const v = (e.currentTarget as HTMLInputElement).value;
        setText(v);
        const x = Number(v);
        if (v.trim() !== '' && Number.isFinite(x) && x >= min && x <= max) onChange(x);
      }}
    />
  );
}
