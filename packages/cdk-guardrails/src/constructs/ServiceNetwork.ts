import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { stageConfigOf } from './stageOf';
import { isIntegerBetween, validateProps } from './validation';

/** Properties of a {@link ServiceNetwork}. */
export interface ServiceNetworkProps {
  /**
   * Availability zones the VPC spans, 2 to 6 (a database subnet group and a
   * load balancer need two). An environment-agnostic stack gets at most 2.
   *
   * @default - the stage's `maxAzs`, at least 2
   */
  readonly maxAzs?: number;
  /**
   * NAT gateways, 0 to `maxAzs`. With 0 the VPC has no private subnets with
   * egress: containers run in the public subnets with public IPs.
   *
   * @default - the stage's `natGateways` (0 in dev, 1 in prod)
   */
  readonly natGateways?: number;
  /**
   * The VPC's IPv4 CIDR block, /16 to /24.
   *
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(1[6-9]|2[0-4])$/;

/**
 * A service's VPC: public subnets (load balancer, and containers when there
 * is no NAT gateway), private subnets with egress through the stage's NAT
 * gateways (containers, when there are NAT gateways) and isolated subnets
 * (databases and caches, which never reach the internet). Each resource
 * has its own security group; ingress is opened only from the groups of
 * the resources declared to talk to it (see `SafeContainerService.connectTo`).
 */
export class ServiceNetwork extends Construct {
  /** The VPC. */
  readonly vpc: ec2.Vpc;
  /** NAT gateways of the VPC. */
  readonly natGateways: number;
  /** Where containers run: private subnets with egress, or public ones without NAT. */
  readonly containerSubnets: ec2.SubnetSelection;
  /** Whether containers need a public IP (no NAT gateway to reach ECR). */
  readonly containersNeedPublicIp: boolean;
  /** Where databases and caches live: isolated subnets. */
  readonly dataSubnets: ec2.SubnetSelection;

  constructor(scope: Construct, id: string, props: ServiceNetworkProps = {}) {
    super(scope, id);
    const stage = stageConfigOf(this);
    const maxAzs = props.maxAzs ?? Math.max(2, stage.maxAzs);
    const natGateways = props.natGateways ?? stage.natGateways;
    const cidr = props.cidr ?? '10.0.0.0/16';
    validateProps(this, 'ServiceNetwork', [
      {
        prop: 'maxAzs',
        value: maxAzs,
        ok: isIntegerBetween(maxAzs, 2, 6),
        allowed: 'an integer from 2 to 6 (a database subnet group and a load balancer need two zones)',
      },
      {
        prop: 'natGateways',
        value: natGateways,
        ok: isIntegerBetween(natGateways, 0, Math.max(maxAzs, 0)),
        allowed: `an integer from 0 to maxAzs (${maxAzs})`,
      },
      {
        prop: 'cidr',
        value: cidr,
        ok: CIDR.test(cidr) && cidr.split('/')[0].split('.').every(o => Number(o) <= 255),
        allowed: 'an IPv4 CIDR block from /16 to /24, e.g. "10.0.0.0/16"',
      },
    ]);
    this.natGateways = natGateways;
    this.containersNeedPublicIp = natGateways === 0;
    const subnets: ec2.SubnetConfiguration[] = [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      ...(natGateways > 0
        ? [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 }]
        : []),
      { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ];
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      maxAzs,
      natGateways,
      subnetConfiguration: subnets,
      // Restricting the default group takes a custom-resource Lambda outside
      // the safe constructs; nothing here uses the default group.
      restrictDefaultSecurityGroup: false,
    });
    this.containerSubnets = {
      subnetType: natGateways > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PUBLIC,
    };
    this.dataSubnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  }
}
