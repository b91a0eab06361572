/**
 * Compares dotted versions (`1.10.0` is newer than `1.9.2`; a leading `v` is ignored).
 * Returns undefined when either is not a dotted number version.
 */
export function compareVersions(a: string, b: string): number | undefined {
  const parse = (v: string) => {
    const match = /^v?(\d+(?:\.\d+)*)$/.exec(v.trim());
    return match ? match[1].split('.').map(Number) : undefined;
  };
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const diff = (x[i] ?? 0) - (y[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}
