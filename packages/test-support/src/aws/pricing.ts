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

/** One product of the loopback Price List. */
export interface LoopbackPriceProduct {
  readonly serviceCode: string;
  /** Product attributes filters match, e.g. `regionCode`, `usagetype`. */
  readonly attributes: Readonly<Record<string, string>>;
  /** On-demand price per unit, in USD. */
  readonly usd: number;
  /** @default 'Hrs' */
  readonly unit?: string;
}

/**
 * The AWS Price List query API over JSON 1.1 (`AWSPriceListService`):
 * GetProducts with `TERM_MATCH` filters over {@link products}, answering
 * each product as a Price List JSON document with one on-demand term,
 * paged by `MaxResults` (at most 100) and `NextToken`.
 */
export class LoopbackPricing implements LoopbackService {
  readonly signingName = 'pricing';
  readonly products: LoopbackPriceProduct[] = [];

  actionOf(request: LoopbackRequest): string {
    return targetAction(request);
  }

  error(_action: string, code: string, message: string, status = 400) {
    // The Price List API answers throttling as ThrottlingException.
    const type = code === 'Throttling' ? 'ThrottlingException' : code;
    return jsonResponse('1.1', status, { __type: type, Message: message });
  }

  /** Adds products, e.g. the prices a test expects. */
  add(...products: LoopbackPriceProduct[]): this {
    this.products.push(...products);
    return this;
  }

  handle(request: LoopbackRequest, action: string): LoopbackResponse {
    if (action !== 'GetProducts') {
      return unimplemented(
        this.error(
          action,
          'InvalidAction',
          `The loopback Price List does not implement ${
            action || '(no target)'
          }`,
        ),
      );
    }
    const body = jsonOf(request);
    const filters = (body.Filters ?? []) as {
      Type?: string;
      Field?: string;
      Value?: string;
    }[];
    const bad = filters.find(f => f.Type !== 'TERM_MATCH');
    if (!body.ServiceCode || bad) {
      return this.error(
        action,
        'InvalidParameterException',
        bad
          ? `Filter type ${bad.Type} is not supported`
          : 'ServiceCode is required',
      );
    }
    const matching = this.products.filter(
      p =>
        p.serviceCode === body.ServiceCode &&
        filters.every(
          f =>
            (f.Field === 'serviceCode'
              ? p.serviceCode
              : p.attributes[f.Field ?? '']) === f.Value,
        ),
    );
    const size = Math.min(Number(body.MaxResults) || 100, 100);
    const { items, nextToken } = page(matching, body.NextToken, size);
    return jsonResponse('1.1', 200, {
      FormatVersion: 'aws_v1',
      PriceList: items.map((p, i) => JSON.stringify(priceDocument(p, i))),
      ...(nextToken ? { NextToken: nextToken } : {}),
    });
  }
}

function priceDocument(product: LoopbackPriceProduct, index: number) {
  const sku = `LOOPBACK${index}${product.attributes.usagetype ?? ''}`;
  return {
    product: {
      productFamily: product.attributes.productFamily,
      attributes: { servicecode: product.serviceCode, ...product.attributes },
      sku,
    },
    serviceCode: product.serviceCode,
    terms: {
      OnDemand: {
        [`${sku}.JRTCKXETXF`]: {
          offerTermCode: 'JRTCKXETXF',
          sku,
          priceDimensions: {
            [`${sku}.JRTCKXETXF.6YS6EN2CT7`]: {
              unit: product.unit ?? 'Hrs',
              beginRange: '0',
              endRange: 'Inf',
              description: 'loopback price',
              pricePerUnit: { USD: product.usd.toFixed(10) },
            },
          },
        },
      },
    },
    version: 'loopback',
    publicationDate: '2026-01-01T00:00:00Z',
  };
}
