import { GetProductsCommand } from '@aws-sdk/client-pricing';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  type PriceLookup,
  type PriceQuery,
  type UnitPrice,
  pickUnitPrice,
  priceQueryKey,
} from '@stackyard/plugin-stackyard-node';
import type { AwsClientFactory, AwsTarget } from '../aws/AwsClientFactory';

/** Pages of one GetProducts query read at most: filters narrow to a few products. */
const MAX_PAGES = 10;

type Entry = { expiresAt: number; price: Promise<UnitPrice | undefined> };

/**
 * Prices from the AWS Price List query API (GetProducts), asked with an aws
 * target's credentials and kept in memory for `cacheMs`: prices are the
 * same for every account and change rarely, so one lookup serves every
 * estimate until it expires (concurrent lookups of one query share a call;
 * failures are not kept).
 */
export class PriceCatalog {
  private readonly cache = new Map<string, Entry>();

  static create(options: {
    clients: Pick<AwsClientFactory, 'pricing'>;
    cacheMs: number;
    now?: () => number;
  }): PriceCatalog {
    return new PriceCatalog(
      options.clients,
      options.cacheMs,
      options.now ?? Date.now,
    );
  }

  private constructor(
    private readonly clients: Pick<AwsClientFactory, 'pricing'>,
    private readonly cacheMs: number,
    private readonly now: () => number,
  ) {}

  /** A lookup that asks with `target`'s account when a price is not cached. */
  lookupWith(target: AwsTarget): PriceLookup {
    return query => this.price(target, query);
  }

  private price(
    target: AwsTarget,
    query: PriceQuery,
  ): Promise<UnitPrice | undefined> {
    const key = priceQueryKey(query);
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.price;
    const price = this.fetch(target, query);
    this.cache.set(key, { expiresAt: this.now() + this.cacheMs, price });
    price.catch(() => this.cache.delete(key));
    return price;
  }

  private async fetch(
    target: AwsTarget,
    query: PriceQuery,
  ): Promise<UnitPrice | undefined> {
    const client = await this.clients.pricing(target);
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      let answer;
      try {
        answer = await client.send(
          new GetProductsCommand({
            ServiceCode: query.serviceCode,
            FormatVersion: 'aws_v1',
            MaxResults: 100,
            NextToken: nextToken,
            Filters: Object.entries(query.filters).map(([Field, Value]) => ({
              Type: 'TERM_MATCH',
              Field,
              Value,
            })),
          }),
        );
      } catch (error) {
        const name = (error as Error).name;
        throw new ServiceUnavailableError(
          /Throttl/.test(name)
            ? `The AWS Price List API kept throttling (${name}) after retries; the estimate can be asked again later`
            : `The AWS Price List API failed: ${name}: ${
                (error as Error).message
              }`,
        );
      }
      const price = pickUnitPrice(answer.PriceList ?? [], query);
      if (price) return price;
      nextToken = answer.NextToken;
      if (!nextToken) break;
    }
    return undefined;
  }
}
