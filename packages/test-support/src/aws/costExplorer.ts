import {
  LoopbackRequest,
  LoopbackResponse,
  LoopbackService,
  jsonOf,
  jsonResponse,
  page,
  targetAction,
  unimplemented,
} from './protocol';

/** One day's cost of resources carrying some tags. */
export interface LoopbackCostRecord {
  /** `YYYY-MM-DD` */
  readonly date: string;
  /** Cost allocation tags of the resources, e.g. `stackyard:prefix`. */
  readonly tags: Readonly<Record<string, string>>;
  readonly usd: number;
}

/**
 * Cost Explorer over JSON 1.1 (`AWSInsightsIndexService`): GetCostAndUsage
 * with DAILY granularity and up to two `TAG` group-bys over {@link records}.
 * Groups are keyed `<tag>$<value>` (empty value for untagged costs) as Cost
 * Explorer does; answers are paged by `NextPageToken`, {@link pageSize}
 * (day, group) results per page.
 */
export class LoopbackCostExplorer implements LoopbackService {
  readonly signingName = 'ce';
  readonly records: LoopbackCostRecord[] = [];
  /** (day, group) results per page. @default 500 */
  pageSize = 500;
  /** The bodies of GetCostAndUsage requests, in order. */
  readonly requests: Record<string, any>[] = [];

  actionOf(request: LoopbackRequest): string {
    return targetAction(request);
  }

  error(_action: string, code: string, message: string, status = 400) {
    const type = code === 'Throttling' ? 'ThrottlingException' : code;
    return jsonResponse('1.1', status, { __type: type, Message: message });
  }

  handle(request: LoopbackRequest, action: string): LoopbackResponse {
    if (action !== 'GetCostAndUsage') {
      return unimplemented(
        this.error(
          action,
          'InvalidAction',
          `The loopback Cost Explorer does not implement ${
            action || '(no target)'
          }`,
        ),
      );
    }
    const body = jsonOf(request);
    this.requests.push(body);
    const { Start: start, End: end } = body.TimePeriod ?? {};
    const groupBy = (body.GroupBy ?? []) as { Type?: string; Key?: string }[];
    const metric = (body.Metrics ?? [])[0];
    const problem = [
      (!start || !end || start >= end) &&
        `TimePeriod ${JSON.stringify(body.TimePeriod)} is not a valid period`,
      body.Granularity !== 'DAILY' &&
        'The loopback Cost Explorer answers DAILY granularity only',
      !metric && 'Metrics is required',
      (groupBy.length > 2 || groupBy.some(g => g.Type !== 'TAG')) &&
        'The loopback Cost Explorer groups by up to two TAG keys',
    ].find(Boolean);
    if (problem) {
      return this.error(action, 'ValidationException', problem);
    }
    const days: string[] = [];
    for (
      let d = new Date(`${start}T00:00:00Z`);
      d < new Date(`${end}T00:00:00Z`);
      d = new Date(d.getTime() + 86_400_000)
    ) {
      days.push(d.toISOString().slice(0, 10));
    }
    const sums = new Map<string, number>();
    for (const record of this.records) {
      if (record.date < start || record.date >= end) continue;
      const keys = groupBy.map(g => `${g.Key}$${record.tags[g.Key!] ?? ''}`);
      const key = JSON.stringify([record.date, keys]);
      sums.set(key, (sums.get(key) ?? 0) + record.usd);
    }
    const results = [...sums.entries()]
      .map(([key, usd]) => {
        const [date, keys] = JSON.parse(key) as [string, string[]];
        return { date, keys, usd };
      })
      .sort((a, b) => a.date.localeCompare(b.date));
    const { items, nextToken } = page(
      results,
      body.NextPageToken,
      this.pageSize,
    );
    const byTime = days.map(date => {
      const groups = items.filter(r => r.date === date);
      const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000);
      return {
        TimePeriod: { Start: date, End: next.toISOString().slice(0, 10) },
        Total: groupBy.length
          ? {}
          : {
              [metric]: {
                Amount: String(groups.reduce((s, g) => s + g.usd, 0)),
                Unit: 'USD',
              },
            },
        Groups: groupBy.length
          ? groups.map(g => ({
              Keys: g.keys,
              Metrics: { [metric]: { Amount: String(g.usd), Unit: 'USD' } },
            }))
          : [],
        Estimated: false,
      };
    });
    return jsonResponse('1.1', 200, {
      GroupDefinitions: groupBy,
      ResultsByTime: byTime,
      DimensionValueAttributes: [],
      ...(nextToken ? { NextPageToken: nextToken } : {}),
    });
  }
}
