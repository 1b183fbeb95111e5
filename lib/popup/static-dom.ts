/**
 * Builds the DOM of a Preact element tree once, without Preact — for the popup's boot script, which
 * paints the preview's first screenful before the Preact bundle has loaded (lib/popup/boot-paint.ts).
 * Preact then renders the same tree into the same container and adopts these nodes (it diffs
 * against a container's existing children), so nothing is rebuilt or moves.
 *
 * Elements and props are made as Preact makes them (props/diff: a DOM property where Preact sets the
 * property, else an attribute; `false` drops an attribute except aria-/data-), so the markup is the
 * markup Preact would produce. Text only ever goes in as text nodes. Event handlers and refs are left
 * for Preact to attach; `dangerouslySetInnerHTML` is refused. Function components are called with
 * their props: in the boot bundle their hooks are the first-render stand-ins of
 * lib/popup/static-hooks.ts (wxt.config.ts maps preact/hooks to it there). No class components.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Props Preact always writes as attributes on HTML elements (props.js), even where a DOM property exists. */
const AS_ATTRIBUTE = new Set(['width', 'height', 'href', 'list', 'form', 'tabIndex', 'download', 'rowSpan', 'colSpan', 'role', 'popover']);

interface Element_ {
  type: unknown;
  props: Record<string, unknown> & { children?: unknown };
}

function isElement(node: unknown): node is Element_ {
  return typeof node === 'object' && node !== null && 'type' in node && 'props' in node;
}

function setProp(dom: Element, name: string, value: unknown, svg: boolean): void {
  if (name === 'children' || name === 'key' || name === 'ref') return;
  if (name === 'dangerouslySetInnerHTML') throw new Error('static render: dangerouslySetInnerHTML is not rendered');
  // Handlers (and anything named like one) are Preact's to attach when it adopts the node.
  if (name[0] === 'o' && name[1] === 'n') return;
  if (typeof value === 'function') return;
  if (name === 'style') {
    // The popup's components style by class; a style object would need Preact's unit rules here.
    if (typeof value !== 'string') throw new Error('static render: only string styles are rendered');
    (dom as HTMLElement).style.cssText = value;
    return;
  }
  let attr = name;
  if (svg) attr = name.replace(/xlink(H|:h)/, 'h').replace(/sName$/, 's');
  else if (!AS_ATTRIBUTE.has(name) && name in dom) {
    try {
      (dom as unknown as Record<string, unknown>)[name] = value == null ? '' : value;
      return;
    } catch {
      // As Preact: fall back to the attribute.
    }
  }
  if (value != null && (value !== false || attr[4] === '-')) dom.setAttribute(attr, String(value));
}

/**
 * Appends the DOM of `node` (an element tree from JSX, text, numbers, arrays; null and booleans
 * render nothing) to `parent`.
 */
export function renderStatic(node: unknown, parent: Node, svg = false): void {
  if (node == null || typeof node === 'boolean') return;
  const doc = parent.ownerDocument ?? (parent as Document);
  if (typeof node === 'string' || typeof node === 'number' || typeof node === 'bigint') {
    parent.appendChild(doc.createTextNode(String(node)));
    return;
  }
  if (Array.isArray(node)) {
    for (const child of node) renderStatic(child, parent, svg);
    return;
  }
  if (!isElement(node)) throw new Error('static render: not an element');
  const { type, props } = node;
  if (typeof type === 'function') {
    if ((type as { prototype?: { render?: unknown } }).prototype?.render) throw new Error('static render: class components are not rendered');
    // Fragment is a function component too: it returns its children.
    renderStatic((type as (p: typeof props) => unknown)(props), parent, svg);
    return;
  }
  if (typeof type !== 'string') throw new Error('static render: unknown element type');
  const inSvg = svg || type === 'svg';
  const dom = inSvg ? doc.createElementNS(SVG_NS, type) : doc.createElement(type);
  // `value` and `checked` after the rest, as Preact does (an input's type first).
  for (const name of Object.keys(props)) if (name !== 'value' && name !== 'checked') setProp(dom, name, props[name], inSvg);
  renderStatic(props.children, dom, inSvg && type !== 'foreignObject');
  if ('value' in props && props.value !== undefined) setProp(dom, 'value', props.value, inSvg);
  if ('checked' in props && props.checked !== undefined) setProp(dom, 'checked', props.checked, inSvg);
  parent.appendChild(dom);
}
