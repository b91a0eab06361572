/**
 * Calls `fire(key)` at most once per `intervalMs` for each key: the first
 * call of a quiet key fires at once, calls within the interval after it
 * fire once when it ends (so the last change is never lost). Used to tell
 * browsers that a preview changed without a message per log line.
 */
export function throttlePerKey(
  intervalMs: number,
  fire: (key: string) => void,
): { notify(key: string): void; close(): void } {
  /** Keys in their interval; `pending` when called again within it. */
  const windows = new Map<
    string,
    { timer: NodeJS.Timeout; pending: boolean }
  >();
  const open = (key: string) => {
    const timer = setTimeout(() => {
      const window = windows.get(key);
      windows.delete(key);
      if (window?.pending) {
        fire(key);
        open(key);
      }
    }, intervalMs);
    timer.unref?.();
    windows.set(key, { timer, pending: false });
  };
  return {
    notify(key) {
      const window = windows.get(key);
      if (window) {
        window.pending = true;
        return;
      }
      fire(key);
      open(key);
    },
    close() {
      for (const { timer } of windows.values()) clearTimeout(timer);
      windows.clear();
    },
  };
}
