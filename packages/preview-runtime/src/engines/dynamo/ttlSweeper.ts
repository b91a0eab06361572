import type { TablePlan } from '../../plan/types';
import { callDynamo } from './dynaliteEngine';

/** DynamoDB leaves items whose expiry is more than five years past. */
const FIVE_YEARS_S = 5 * 365 * 24 * 60 * 60;

/** How often a preview deletes expired items. @see startTtlSweeper */
export const DEFAULT_TTL_SWEEP_INTERVAL_MS = 60_000;

/**
 * Deletes the expired items of one table as DynamoDB's time to live does:
 * an item expires when its TTL attribute is a Number (epoch seconds) before
 * `nowSeconds`, and not more than five years before; items whose attribute
 * is missing or of another type stay. Each delete is conditional on the
 * item still being expired, so an item extended meanwhile stays.
 * Returns how many items were deleted.
 */
export async function sweepExpiredItems(
  endpoint: string,
  table: Pick<TablePlan, 'name' | 'keySchema' | 'timeToLiveAttribute'>,
  nowSeconds: number,
): Promise<number> {
  if (!table.timeToLiveAttribute) return 0;
  const keys = table.keySchema.map(k => k.AttributeName);
  const names: Record<string, string> = { '#ttl': table.timeToLiveAttribute };
  keys.forEach((key, i) => {
    names[`#k${i}`] = key;
  });
  const expired = {
    ':now': { N: String(nowSeconds) },
    ':floor': { N: String(nowSeconds - FIVE_YEARS_S) },
  };
  let deleted = 0;
  let start: unknown;
  do {
    const page = await callDynamo(endpoint, 'Scan', {
      TableName: table.name,
      FilterExpression: '#ttl < :now AND #ttl >= :floor',
      ProjectionExpression: keys.map((_, i) => `#k${i}`).join(', '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: expired,
      ...(start ? { ExclusiveStartKey: start } : {}),
    });
    for (const key of page.Items ?? []) {
      try {
        await callDynamo(endpoint, 'DeleteItem', {
          TableName: table.name,
          Key: key,
          ConditionExpression: '#ttl < :now AND #ttl >= :floor',
          ExpressionAttributeNames: { '#ttl': table.timeToLiveAttribute },
          ExpressionAttributeValues: expired,
        });
        deleted += 1;
      } catch (error) {
        // Extended or deleted since the scan: not ours to delete.
        if (!String(error).includes('ConditionalCheckFailedException')) {
          throw error;
        }
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return deleted;
}

/**
 * Sweeps the expired items of every table with a TTL attribute every
 * `intervalMs` (DynamoDB deletes them within about 48 hours; a preview
 * sooner, so a connections table does not grow with stale entries).
 * One sweep at a time; a failed sweep is reported and the next one runs.
 */
export function startTtlSweeper(options: {
  endpoint: string;
  tables: readonly TablePlan[];
  /** @default DEFAULT_TTL_SWEEP_INTERVAL_MS */
  intervalMs?: number;
  now?: () => number;
  onError?: (table: string, error: unknown) => void;
}): { stop(): void; sweep(): Promise<number> } {
  const tables = options.tables.filter(t => t.timeToLiveAttribute);
  const now = options.now ?? Date.now;
  let running: Promise<number> | undefined;
  const sweep = () => {
    running ??= (async () => {
      let deleted = 0;
      const nowSeconds = Math.floor(now() / 1000);
      for (const table of tables) {
        try {
          deleted += await sweepExpiredItems(
            options.endpoint,
            table,
            nowSeconds,
          );
        } catch (error) {
          options.onError?.(table.name, error);
        }
      }
      return deleted;
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer =
    tables.length > 0
      ? setInterval(
          () => void sweep(),
          options.intervalMs ?? DEFAULT_TTL_SWEEP_INTERVAL_MS,
        )
      : undefined;
  timer?.unref?.();
  return {
    stop: () => clearInterval(timer),
    sweep,
  };
}
