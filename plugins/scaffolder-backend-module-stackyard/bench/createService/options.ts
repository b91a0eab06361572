/** Command-line options of the create-service benchmark. */

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export const WARM_RUNS = Number(
  argValue('--runs') ?? process.env.STACKYARD_BENCH_RUNS ?? 20,
);
export const VERBOSE = process.argv.includes('--verbose');
export const JSON_OUT = process.argv.includes('--json');
export const MANIFEST_ONLY = process.argv.includes('--manifest-only');

/** Issue 11: the extension variant's warm median at most this × manifest's. */
export const EXTENSION_TARGET_RATIO = 2;
/** The user each task runs for. */
export const INITIATOR = 'user:default/guest';
