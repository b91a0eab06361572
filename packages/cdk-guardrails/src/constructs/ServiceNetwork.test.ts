import { Template } from 'aws-cdk-lib/assertions';
import { ServiceNetwork } from './ServiceNetwork';
import { testStack } from './testing';

function networkIn(stage: string) {
  const stack = testStack({ stage });
  const network = new ServiceNetwork(stack, 'Network');
  return { network, template: Template.fromStack(stack) };
}

describe('ServiceNetwork', () => {
  it('has no NAT gateway in dev: public subnets for containers, isolated ones for data', () => {
    const { network, template } = networkIn('dev');
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::Subnet', 4);
    template.resourcePropertiesCountIs('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true }, 2);
    expect(network.containersNeedPublicIp).toBe(true);
    expect(network.vpc.isolatedSubnets).toHaveLength(2);
    expect(network.vpc.privateSubnets).toHaveLength(0);
  });

  it('spans the zones CloudFormation resolves in a concrete account and region, with no context lookup', () => {
    const stack = testStack({ env: { account: '123456789012', region: 'eu-west-1' } });
    new ServiceNetwork(stack, 'Network', { maxAzs: 3 });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::Subnet', 6);
    template.resourcePropertiesCountIs('AWS::EC2::Subnet', { AvailabilityZone: { 'Fn::Select': [2, { 'Fn::GetAZs': '' }] } }, 2);
  });

  it('has one NAT gateway in prod, and private subnets with egress for containers', () => {
    const { network, template } = networkIn('prod');
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.resourceCountIs('AWS::EC2::Subnet', 6);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
    expect(network.containersNeedPublicIp).toBe(false);
    expect(network.vpc.privateSubnets).toHaveLength(2);
  });

  it.each([
    [{ maxAzs: 1 }, 'maxAzs 1 is not allowed: an integer from 2 to 6'],
    [{ natGateways: 3 }, 'natGateways 3 is not allowed: an integer from 0 to maxAzs (2)'],
    [{ cidr: '10.0.0.0/8' }, 'cidr "10.0.0.0/8" is not allowed'],
    [{ cidr: '300.0.0.0/16' }, 'cidr "300.0.0.0/16" is not allowed'],
  ])('refuses %j, quoting it with the construct path', (props, message) => {
    expect(() => new ServiceNetwork(testStack(), 'Net', props)).toThrow(
      `[Svc/Net] invalid ServiceNetwork props: ${message}`,
    );
  });
});
