/**
 * A manifest name in PascalCase, `api-v2` → `ApiV2`: the start of the
 * construct IDs and stack output names buildService derives from it.
 */
export function pascal(name: string): string {
  return name
    .split('-')
    .map(p => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}
