import { Aws } from 'aws-cdk-lib';

/*
 * aws-cdk-lib registers every token it encodes as a string or number in one
 * process-wide map (`globalThis.__cdkTokenMap`) so that encoded strings can be
 * resolved later, and never removes an entry. Its tokens (CfnReference, Lazy,
 * ...) point at their constructs, so each synthesized App stays reachable
 * through the map forever: about 0.6 MB of heap per synth of the reference
 * service. A long-lived process (backend, benchmark, CI test run) that
 * synthesizes repeatedly must therefore drop what one synthesis registered.
 */

interface TokenMapShape {
  readonly stringTokenMap: Map<string, unknown>;
  readonly numberTokenMap: Map<number, unknown>;
}

/** What {@link withTokenScope} did with the tokens the scope registered. */
export interface TokenScopeReport {
  /** How many token map entries the scope registered. */
  readonly registered: number;
  /** Whether they were dropped afterwards. */
  readonly released: boolean;
}

function tokenMap(): TokenMapShape | undefined {
  // Reading a pseudo parameter creates the map and loads the module whose
  // constants are encoded at load time, before any scope opens.
  void Aws.NO_VALUE;
  const map = (globalThis as { __cdkTokenMap?: Partial<TokenMapShape> }).__cdkTokenMap;
  return map?.stringTokenMap instanceof Map && map.numberTokenMap instanceof Map
    ? (map as TokenMapShape)
    : undefined;
}

function loadedModules(): number | undefined {
  return typeof require === 'function' && require.cache
    ? Object.keys(require.cache).length
    : undefined;
}

/** Deletes the entries of a map after its first `keep` ones (insertion order). */
function truncate<K>(map: Map<K, unknown>, keep: number): void {
  let index = 0;
  const added: K[] = [];
  for (const key of map.keys()) {
    if (index++ >= keep) {
      added.push(key);
    }
  }
  for (const key of added) {
    map.delete(key);
  }
}

/**
 * Runs `fn`, which must build and synthesize an App synchronously, and then
 * removes the tokens it registered from aws-cdk-lib's global token map, so
 * the App can be garbage collected once the caller drops it.
 *
 * Because `fn` is synchronous, every entry appended to the map while it runs
 * belongs to it, even when other synths are in flight. Entries are kept when
 * `fn` loaded a module: module-level constants (e.g. `Aws.REGION`) encode
 * tokens at load time and later apps still need them; only that synthesis
 * is then retained. Nothing is dropped when the map's shape is unknown.
 */
export function withTokenScope<T>(fn: () => T): { value: T; report: TokenScopeReport } {
  const map = tokenMap();
  const strings = map?.stringTokenMap.size ?? 0;
  const numbers = map?.numberTokenMap.size ?? 0;
  const modules = loadedModules();
  let report: TokenScopeReport = { registered: 0, released: false };
  let value: T;
  try {
    value = fn();
  } finally {
    // Runs on failure too: a failed App is as unreachable as a finished one.
    if (map) {
      const registered =
        map.stringTokenMap.size - strings + (map.numberTokenMap.size - numbers);
      const released = modules !== undefined && loadedModules() === modules;
      if (released) {
        truncate(map.stringTokenMap, strings);
        truncate(map.numberTokenMap, numbers);
      }
      report = { registered, released };
    }
  }
  return { value, report };
}
