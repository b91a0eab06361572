import { freePort } from '@stackyard/test-support';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { estimateDeployCost } from './costEstimate';

jest.setTimeout(60_000);

const REGION = 'eu-west-1';
const NAT_TEMPLATE = { Resources: { Nat: { Type: 'AWS::EC2::NatGateway', Properties: {} } } };

/** The standard AWS environment the CLI reads, pointed at `endpoint`. */
const AWS_ENV = (endpoint: string) => ({
  AWS_ACCESS_KEY_ID: 'AKIASTACKYARDCI',
  AWS_SECRET_ACCESS_KEY: 'loopback-secret',
  AWS_REGION: REGION,
  AWS_ENDPOINT_URL: endpoint,
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_EC2_METADATA_DISABLED: 'true',
});

describe('estimateDeployCost (Price List GetProducts against the loopback AWS endpoint)', () => {
  let aws: LoopbackAws;
  const saved = { ...process.env };

  beforeEach(async () => {
    aws = await LoopbackAws.start({ region: REGION });
    Object.assign(process.env, AWS_ENV(aws.url));
  });

  afterEach(async () => {
    process.env = { ...saved };
    await aws.stop();
  });

  it("prices the template in the deploy's region", async () => {
    aws.pricing.add({
      serviceCode: 'AmazonEC2',
      attributes: { regionCode: REGION, productFamily: 'NAT Gateway', usagetype: 'EUW1-NatGateway-Hours' },
      usd: 0.048,
    });
    const { estimate, warning } = await estimateDeployCost(NAT_TEMPLATE);
    expect(warning).toBeUndefined();
    expect(estimate?.summary).toBe('Estimated fixed cost: $35.04/month in eu-west-1 (NAT gateway 1 × $35.04)');
    expect(aws.callsOf('pricing')).toEqual(['GetProducts']);
  });

  it('gives a warning when the Price List keeps throttling after the SDK retries', async () => {
    aws.throttle.GetProducts = 100;
    const { estimate, warning } = await estimateDeployCost(NAT_TEMPLATE);
    expect(estimate).toBeUndefined();
    expect(warning).toMatch(/^cost not estimated \(AWS Price List: ThrottlingException: Rate exceeded\)$/);
    // The SDK's standard retries: three attempts.
    expect(aws.callCount.GetProducts).toBe(3);
  });

  it('gives a warning when the Price List cannot be reached', async () => {
    process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${await freePort()}`;
    const { estimate, warning } = await estimateDeployCost(NAT_TEMPLATE);
    expect(estimate).toBeUndefined();
    expect(warning).toMatch(/^cost not estimated \(AWS Price List: .*ECONNREFUSED.*\)$/);
  });
});
