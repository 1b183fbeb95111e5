/**
 * The contract of lib/'s layout (docs/decisions.md, "Code layout"): each folder is a room with a
 * rank, and a module imports only from its own room or lower ones, so the shared helpers never
 * depend on the worker, the store never on ranking, and so on. Type-only imports count too: a type
 * import from a higher room is the same knot in the design. The import graph has no cycles.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const LIB = resolve(__dirname, '..', '..', 'lib');

/** Lower first. popup and content are siblings: neither may import the other. */
const RANK: Record<string, number> = { '': 0, store: 1, arxiv: 2, sources: 3, relevance: 3.5, rank: 4, export: 5, popup: 6, content: 6, worker: 7 };

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

const roomOf = (file: string): string => {
  const rel = relative(LIB, file).split('/');
  return rel.length === 1 ? '' : rel[0]!;
};

function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of src.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*['"](\.[^'"]+)['"]/g)) {
    out.push(resolve(dirname(file), m[1]!) + '.ts');
  }
  return out;
}

const all = files(LIB);
const graph = new Map(all.map((f) => [f, importsOf(f).filter((t) => all.includes(t))]));

describe('lib/ layout', () => {
  it('every folder of lib/ has a rank (a new folder must be placed in the order)', () => {
    const rooms = new Set(all.map(roomOf));
    expect([...rooms].filter((r) => !(r in RANK))).toEqual([]);
  });

  it('resolves every relative import of lib/ to a lib/ file (the check below sees them all)', () => {
    const unresolved = all.flatMap((f) => importsOf(f).filter((t) => t.startsWith(LIB) && !all.includes(t)).map((t) => `${relative(LIB, f)} → ${relative(LIB, t)}`));
    expect(unresolved).toEqual([]);
  });

  it('no module imports from a higher room, and siblings do not import each other', () => {
    const bad: string[] = [];
    for (const [from, targets] of graph) {
      for (const to of targets) {
        const a = roomOf(from);
        const b = roomOf(to);
        if (a !== b && RANK[b]! >= RANK[a]!) bad.push(`${relative(LIB, from)} → ${relative(LIB, to)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('has no import cycles', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].map((p) => relative(LIB, p)).join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const t of graph.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of all) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
