import { type Config, readDurationFromConfig } from '@backstage/config';
import { configError } from './checks';

const UNIT_MS: Record<string, number> = {
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 7 * 86_400_000,
  months: 30 * 86_400_000,
  years: 365 * 86_400_000,
};

/**
 * The duration at `key` of `config` (`{ hours: 1 }`, ISO 8601 or text) in
 * milliseconds; shorter than `minimum.ms` is refused, naming `path`, the
 * value read and `minimum.atLeast` (the bound in words).
 */
export function readMinimumDuration(
  config: Config,
  key: string,
  path: string,
  minimum: { ms: number; atLeast: string },
): number {
  const duration = readDurationFromConfig(config, { key }) as Record<
    string,
    number | undefined
  >;
  const ms = Object.entries(duration).reduce(
    (sum, [unit, n]) => sum + (n ?? 0) * (UNIT_MS[unit] ?? 0),
    0,
  );
  if (ms < minimum.ms) {
    throw configError(path, duration, `must be at least ${minimum.atLeast}`);
  }
  return ms;
}
