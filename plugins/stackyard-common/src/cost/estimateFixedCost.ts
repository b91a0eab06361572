import type { CostEstimate, CostLineItem, UnpricedResource } from '../api/cost';
import { PriceQuery, fixedCostUsage } from './fixedCostUsage';
import { UnitPrice, priceQueryKey } from './priceList';

/** Looks up a unit price (undefined when the Price List has none). */
export type PriceLookup = (query: PriceQuery) => Promise<UnitPrice | undefined>;

const cents = (usd: number) => Math.round(usd * 100) / 100;

/**
 * The monthly fixed cost of a synthesized CloudFormation template in a
 * region: its resources' usages ({@link fixedCostUsage}) priced with
 * `prices` (each distinct query asked once, all at once), grouped into
 * lines by label, most expensive first.
 */
export async function estimateFixedCost(
  template: { Resources?: unknown },
  options: { region: string; prices: PriceLookup },
): Promise<CostEstimate> {
  const { usages, unpriced } = fixedCostUsage(template, options.region);
  const queries = new Map<string, PriceQuery>();
  for (const usage of usages)
    queries.set(priceQueryKey(usage.price), usage.price);
  const found = new Map<string, UnitPrice | undefined>();
  await Promise.all(
    [...queries].map(async ([key, query]) => {
      found.set(key, await options.prices(query));
    }),
  );
  const lines = new Map<string, CostLineItem & { monthlyExact: number }>();
  const missing: UnpricedResource[] = [...unpriced];
  for (const usage of usages) {
    const price = found.get(priceQueryKey(usage.price));
    if (!price) {
      missing.push({
        logicalId: usage.logicalId,
        resourceType: usage.resourceType,
        reason: `no price in the Price List for ${usage.label} in ${options.region}`,
      });
      continue;
    }
    const monthly = usage.monthlyQuantity * price.usd;
    const line = lines.get(usage.label) ?? {
      label: usage.label,
      count: 0,
      unitMonthlyUsd: 0,
      monthlyUsd: 0,
      monthlyExact: 0,
      logicalIds: [],
    };
    line.count += usage.count;
    line.monthlyExact += monthly;
    if (!line.logicalIds.includes(usage.logicalId)) {
      line.logicalIds.push(usage.logicalId);
    }
    lines.set(usage.label, line);
  }
  const lineItems = [...lines.values()]
    .map(({ monthlyExact, ...line }) => ({
      ...line,
      count: Math.round(line.count * 1000) / 1000,
      unitMonthlyUsd: cents(line.count > 0 ? monthlyExact / line.count : 0),
      monthlyUsd: cents(monthlyExact),
    }))
    .sort(
      (a, b) => b.monthlyUsd - a.monthlyUsd || a.label.localeCompare(b.label),
    );
  const monthlyUsd = cents(
    [...lines.values()].reduce((sum, l) => sum + l.monthlyExact, 0),
  );
  const estimate = {
    region: options.region,
    currency: 'USD' as const,
    monthlyUsd,
    lineItems,
    unpriced: missing,
  };
  return { ...estimate, summary: formatEstimate(estimate) };
}

const usd = (n: number) =>
  `$${n.toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })}`;

/**
 * One line for a task log or CLI, e.g.
 * "Estimated fixed cost: $65.70/month (NAT gateway 1 × $32.85, …)",
 * with the resources it could not price.
 */
export function formatEstimate(
  estimate: Omit<CostEstimate, 'summary'>,
): string {
  const lines = estimate.lineItems
    .map(l => `${l.label} ${l.count} × ${usd(l.unitMonthlyUsd)}`)
    .join(', ');
  const unpriced = estimate.unpriced.length
    ? `; not priced: ${estimate.unpriced
        .map(u => `${u.logicalId} (${u.reason})`)
        .join(', ')}`
    : '';
  return `Estimated fixed cost: ${usd(estimate.monthlyUsd)}/month in ${
    estimate.region
  }${lines ? ` (${lines})` : ' (no fixed-cost resources)'}${unpriced}`;
}
