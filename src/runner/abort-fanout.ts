/**
 * Abort listeners on a long-lived signal (the run's interrupt signal), which every check in flight listens on.
 * EventTarget keeps its listeners in a list that addEventListener (looking for a duplicate) and removeEventListener
 * walk: with hundreds of checks in flight that is quadratic. Here each signal gets one real listener, which calls the
 * callbacks registered in a Set (insertion order, O(1) add and remove).
 */
const fanouts = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `fn` once when `signal` aborts (never when it already has: check `signal.aborted` first). Returns the
 * function that unregisters it.
 */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  let set = fanouts.get(signal);
  if (!set) {
    const callbacks = new Set<() => void>();
    set = callbacks;
    fanouts.set(signal, callbacks);
    signal.addEventListener(
      'abort',
      () => {
        fanouts.delete(signal);
        for (const f of [...callbacks]) f();
        callbacks.clear();
      },
      { once: true },
    );
  }
  const callbacks = set;
  // Each registration is its own entry, even for the same function (as distinct listeners would be).
  const entry = (): void => fn();
  callbacks.add(entry);
  return () => {
    callbacks.delete(entry);
  };
}
