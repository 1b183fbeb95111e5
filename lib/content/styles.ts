/**
 * One injected <style> for everything the content script adds. Every class starts with `hp-`, so
 * nothing of arXiv's is restyled except through those classes. One stylesheet instead of a shadow
 * root per badge: 2000 shadow roots cost far more style work than a few prefixed rules.
 *
 * The badge box has a fixed size in every state (loading, no data, numbers), so filling it in never
 * moves the page's text; highlights use inset shadows and backgrounds, which do not change layout.
 */
export const STYLE_ID = 'hp-style';

const CSS = `
.hp-h{--hp-fg:#333;--hp-bg:#ececec;--hp-bd:#c8c8c8;--hp-pop:#fff;--hp-link:#1a55a8;
display:inline-block;position:relative;box-sizing:border-box;width:13.5em;height:1.45em;margin:0 0 0 .6em;
vertical-align:middle;font:12px/1.45em system-ui,-apple-system,"Segoe UI",sans-serif;white-space:nowrap;text-align:left;color:var(--hp-fg)}
.hp-h[data-level="1"]{--hp-bg:#f3eadb;--hp-fg:#5c4a24}
.hp-h[data-level="2"]{--hp-bg:#fbd9a5;--hp-fg:#5a3700}
.hp-h[data-level="3"]{--hp-bg:#f59b54;--hp-fg:#2b1300}
.hp-h[data-level="4"]{--hp-bg:#c62828;--hp-fg:#fff}
.hp-b,.hp-s,.hp-tb button{appearance:none;-webkit-appearance:none;margin:0;font:inherit;color:inherit;cursor:pointer}
.hp-b{box-sizing:border-box;display:inline-block;max-width:11.5em;height:1.45em;padding:0 .5em;border:1px solid var(--hp-bd);
border-radius:.75em;background:var(--hp-bg);color:var(--hp-fg);overflow:hidden;text-overflow:ellipsis;vertical-align:top;line-height:1.3em}
.hp-h[data-state="pending"] .hp-b{border-style:dashed;background:transparent;color:#777}
.hp-h[data-state="none"] .hp-b{background:transparent;color:#888}
.hp-s{box-sizing:border-box;width:1.6em;height:1.45em;padding:0;border:0;background:none;color:#8a6d00;vertical-align:top;line-height:1.3em}
.hp-s[aria-pressed="true"]{color:#d19a00}
.hp-b:focus-visible,.hp-s:focus-visible,.hp-tb button:focus-visible,.hp-p a:focus-visible{outline:2px solid #1a73e8;outline-offset:1px}
.hp-p{display:none;position:absolute;top:1.6em;left:0;z-index:2147483000;box-sizing:border-box;min-width:17em;max-width:26em;padding:.6em .7em;
background:var(--hp-pop);color:#222;border:1px solid #bbb;border-radius:6px;box-shadow:0 4px 14px rgba(0,0,0,.18);white-space:normal;font-size:12.5px;line-height:1.4}
.hp-h.hp-open .hp-p{display:block}
.hp-h.hp-right .hp-p{left:auto;right:0}
.hp-p h4{margin:0 0 .3em;font-size:1em}
.hp-p table{border-collapse:collapse;margin:.2em 0}
.hp-p td{padding:0 .6em 0 0;vertical-align:top}
.hp-p a{color:var(--hp-link)}
.hp-p ul{margin:.3em 0 0;padding-left:1.2em}
.hp-p svg{display:block;margin:.3em 0}
.hp-p polyline{fill:none;stroke:#c62828;stroke-width:1.5}
.hp-h.hp-big{display:block;width:auto;height:auto;margin:0 0 .8em;padding:.5em .6em;border:1px solid var(--hp-bd);border-radius:6px;font-size:13px;line-height:1.5}
.hp-big .hp-b{max-width:none;height:auto;font-size:1.15em;padding:.1em .6em;line-height:1.4}
.hp-big .hp-p{display:block;position:static;min-width:0;max-width:none;padding:.4em 0 0;border:0;box-shadow:none;background:none;color:inherit}
.hp-tb{display:flex;flex-wrap:wrap;align-items:center;gap:.5em;margin:.6em 0;font:13px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif}
.hp-tb button{padding:.15em .7em;border:1px solid #999;border-radius:1em;background:#f7f7f7;color:#222}
.hp-tb button[aria-pressed="true"]{background:#b31b1b;border-color:#b31b1b;color:#fff}
.hp-tb .hp-st{color:#555}
.hp-watch{box-shadow:inset 4px 0 0 #d19a00;background-color:rgba(255,205,60,.14)}
.hp-off{display:none!important}
.hp-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (prefers-color-scheme:dark){
.hp-h{--hp-fg:#ddd;--hp-bg:#3a3a3a;--hp-bd:#666;--hp-pop:#222;--hp-link:#8ab4f8}
.hp-h[data-level="1"]{--hp-bg:#4a4030;--hp-fg:#f1e4c8}
.hp-h[data-level="2"]{--hp-bg:#7a5310;--hp-fg:#fff3dc}
.hp-h[data-level="3"]{--hp-bg:#c2571b;--hp-fg:#fff}
.hp-h[data-level="4"]{--hp-bg:#e53935;--hp-fg:#fff}
.hp-p{color:#eee;border-color:#555}
.hp-h[data-state="pending"] .hp-b,.hp-h[data-state="none"] .hp-b{color:#aaa}
.hp-s{color:#e0b84a}
.hp-tb button{background:#2b2b2b;color:#eee;border-color:#777}
.hp-tb .hp-st{color:#bbb}
.hp-watch{background-color:rgba(255,205,60,.12)}
}`;

export function injectStyles(doc: Document): void {
  if (doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  (doc.head ?? doc.documentElement).appendChild(style);
}
