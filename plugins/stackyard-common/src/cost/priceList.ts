import type { PriceQuery } from './fixedCostUsage';

/** The on-demand price of one unit of a product, in USD. */
export interface UnitPrice {
  readonly usd: number;
  /** The Price List's unit, e.g. `Hrs`, `GB-Mo`, `Lambda-GB-Second`. */
  readonly unit: string;
}

/** One entry of GetProducts' `PriceList` (a JSON document). */
type PriceListProduct = {
  product?: { attributes?: Record<string, string> };
  terms?: {
    OnDemand?: Record<
      string,
      {
        priceDimensions?: Record<
          string,
          {
            unit?: string;
            beginRange?: string;
            pricePerUnit?: { USD?: string };
          }
        >;
      }
    >;
  };
};

/** The cache key of a price query: equal queries share one lookup. */
export function priceQueryKey(query: PriceQuery): string {
  const filters = Object.keys(query.filters)
    .sort()
    .map(k => `${k}=${query.filters[k]}`)
    .join('&');
  return `${query.serviceCode}?${filters}#${query.usageTypeSuffix ?? ''}`;
}

function usageTypeMatches(usageType: string | undefined, suffix?: string) {
  if (!suffix) return true;
  return usageType === suffix || !!usageType?.endsWith(`-${suffix}`);
}

/**
 * The unit price a GetProducts answer gives for a query: the first product
 * whose usage type ends with the query's suffix, its on-demand term, and
 * of tiered dimensions the first non-free one (free tiers are ignored, so
 * the estimate is an upper bound). Undefined when nothing matches.
 */
export function pickUnitPrice(
  priceList: readonly (string | object)[],
  query: PriceQuery,
): UnitPrice | undefined {
  for (const entry of priceList) {
    // The SDK answers JSON strings (as String objects); tests may pass objects.
    const product = (
      typeof entry === 'string' || entry instanceof String
        ? JSON.parse(String(entry))
        : entry
    ) as PriceListProduct;
    if (
      !usageTypeMatches(
        product.product?.attributes?.usagetype,
        query.usageTypeSuffix,
      )
    ) {
      continue;
    }
    const dimensions = Object.values(product.terms?.OnDemand ?? {}).flatMap(
      term => Object.values(term.priceDimensions ?? {}),
    );
    const priced = dimensions
      .map(d => ({
        usd: Number(d.pricePerUnit?.USD),
        unit: d.unit ?? '',
        begin: Number(d.beginRange ?? 0),
      }))
      .filter(d => Number.isFinite(d.usd))
      .sort((a, b) => a.begin - b.begin);
    const chosen = priced.find(d => d.usd > 0) ?? priced[0];
    if (chosen) return { usd: chosen.usd, unit: chosen.unit };
  }
  return undefined;
}

/** One page request of the Price List query API's GetProducts. */
export interface GetProductsPage {
  readonly ServiceCode: string;
  readonly FormatVersion: 'aws_v1';
  readonly MaxResults: number;
  readonly NextToken?: string;
  readonly Filters: { Type: 'TERM_MATCH'; Field: string; Value: string }[];
}

/** Sends one GetProducts page request (an SDK client's `send`, wrapped). */
export type GetProducts = (page: GetProductsPage) => Promise<{
  PriceList?: readonly (string | object)[];
  NextToken?: string;
}>;

/** Pages of one GetProducts query read at most: filters narrow to a few products. */
export const MAX_PRICE_LIST_PAGES = 10;

/**
 * Finds a query's unit price with GetProducts: its filters as `TERM_MATCH`
 * filters, page after page (at most {@link MAX_PRICE_LIST_PAGES}) until
 * {@link pickUnitPrice} finds one. Undefined when none matches; errors of
 * `getProducts` are its caller's to report.
 */
export async function findUnitPrice(
  getProducts: GetProducts,
  query: PriceQuery,
): Promise<UnitPrice | undefined> {
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PRICE_LIST_PAGES; page++) {
    const answer = await getProducts({
      ServiceCode: query.serviceCode,
      FormatVersion: 'aws_v1',
      MaxResults: 100,
      NextToken: nextToken,
      Filters: Object.entries(query.filters).map(([Field, Value]) => ({
        Type: 'TERM_MATCH',
        Field,
        Value,
      })),
    });
    const price = pickUnitPrice(answer.PriceList ?? [], query);
    if (price) return price;
    nextToken = answer.NextToken;
    if (!nextToken) return undefined;
  }
  return undefined;
}
