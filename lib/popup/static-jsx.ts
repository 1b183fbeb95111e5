/**
 * The JSX runtime of the popup's boot bundle (wxt.config.ts maps preact/jsx-runtime and preact to
 * this module there): elements are plain `{ type, props, key }` records, which
 * lib/popup/static-dom.ts turns into DOM. Preact itself is not in that bundle.
 */
export interface StaticElement {
  type: unknown;
  props: Record<string, unknown>;
  key: unknown;
}

export function jsx(type: unknown, props: Record<string, unknown> | null, key?: unknown): StaticElement {
  return { type, props: props ?? {}, key };
}

export { jsx as jsxs, jsx as jsxDEV };

export function Fragment(props: { children?: unknown }): unknown {
  return props.children;
}
