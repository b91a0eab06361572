import { GetProductsCommand } from '@aws-sdk/client-pricing';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  type PriceLookup,
  type PriceQuery,
  type UnitPrice,
  findUnitPrice,
  priceQueryKey,
} from '@stackyard/plugin-stackyard-common';
import type { AwsClientFactory, AwsTarget } from '../aws/AwsClientFactory';

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
    return findUnitPrice(async page => {
      try {
        return await client.send(new GetProductsCommand(page));
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
    }, query);
  }
}
