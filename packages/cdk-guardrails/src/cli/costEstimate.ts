import { BaseCredentials, IBaseCredentialsProvider } from '@aws-cdk/toolkit-lib';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import {
  CostEstimate,
  estimateFixedCost,
  findUnitPrice,
} from '@stackyard/plugin-stackyard-common';

/** Where the Price List query API answers (for prices of every region). */
export const PRICING_REGION = 'us-east-1';

/** An estimate, or why there is none: never an error. */
export interface DeployCostEstimate {
  readonly estimate?: CostEstimate;
  readonly warning?: string;
}

type IoHost = Parameters<IBaseCredentialsProvider['sdkBaseConfig']>[0];

/** toolkit-lib's messages while it resolves credentials: the deploy reports its own. */
const quietIoHost: IoHost = {
  notify: async () => undefined,
  requestResponse: async msg => msg.defaultResponse,
};

/**
 * The deploy's credentials and region, read from the standard AWS
 * environment exactly as `deployService` (toolkit-lib's
 * `awsCliCompatible`) reads them.
 */
async function deployEnvironment() {
  const config = await BaseCredentials.awsCliCompatible().sdkBaseConfig(quietIoHost, {});
  return {
    credentials: config.credentialProvider,
    region: config.defaultRegion ?? PRICING_REGION,
  };
}

/**
 * The monthly fixed cost of a synthesized template in the deploy's region,
 * priced with the AWS Price List query API (GetProducts in us-east-1, the
 * deploy's credentials; `AWS_ENDPOINT_URL*` honoured by the SDK as for the
 * deploy's own clients). Nothing is cached: the estimator asks each
 * distinct price once per run. A refused, throttled (after the SDK's
 * retries) or unreachable Price List gives a warning instead.
 */
export async function estimateDeployCost(template: { Resources?: unknown }): Promise<DeployCostEstimate> {
  let client: PricingClient | undefined;
  try {
    const { credentials, region } = await deployEnvironment();
    client = new PricingClient({
      region: PRICING_REGION,
      credentials,
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 15_000 },
    });
    const pricing = client;
    const estimate = await estimateFixedCost(template, {
      region,
      prices: query => findUnitPrice(page => pricing.send(new GetProductsCommand(page)), query),
    });
    return { estimate };
  } catch (e) {
    const error = e as Error;
    return {
      warning: `cost not estimated (AWS Price List: ${error.name}: ${error.message})`,
    };
  } finally {
    client?.destroy();
  }
}
