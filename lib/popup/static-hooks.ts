/**
 * First-render stand-ins for preact/hooks, for the popup's boot bundle only (wxt.config.ts maps
 * preact/hooks to this module there): lib/popup/static-dom.ts calls components as plain functions
 * to paint the preview before Preact has loaded, so each hook gives what it gives on a component's
 * first render — the initial state, a fresh ref, the computed memo — and effects do not run
 * (Preact runs them when it adopts the painted DOM).
 */
export function useState<S>(initial: S | (() => S)): [S, (next: S | ((prev: S) => S)) => void] {
  return [typeof initial === 'function' ? (initial as () => S)() : initial, () => undefined];
}

export function useRef<T>(initial?: T): { current: T | undefined } {
  return { current: initial };
}

export function useMemo<T>(compute: () => T): T {
  return compute();
}

export function useCallback<T>(fn: T): T {
  return fn;
}

export function useEffect(): void {}

export function useLayoutEffect(): void {}
