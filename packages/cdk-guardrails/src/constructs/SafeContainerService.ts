import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { SafeCache } from './SafeCache';
import { REDIS_PORT } from './SafeCache';
import type { SafeDatabase } from './SafeDatabase';
import { POSTGRES_PORT } from './SafeDatabase';
import type { ServiceNetwork } from './ServiceNetwork';
import { ACM_CERTIFICATE_ARN, ACM_CERTIFICATE_ARN_ALLOWED } from './certificateArn';
import { stageConfigOf } from './stageOf';
import { isIntegerBetween, validateProps } from './validation';

/** Fargate's memory choices (MiB) per task CPU units. */
const FARGATE_MEMORY: Readonly<Record<number, { min: number; max: number; step: number; also?: number[] }>> = {
  256: { min: 1024, max: 2048, step: 1024, also: [512] },
  512: { min: 1024, max: 4096, step: 1024 },
  1024: { min: 2048, max: 8192, step: 1024 },
  2048: { min: 4096, max: 16384, step: 1024 },
  4096: { min: 8192, max: 30720, step: 1024 },
  8192: { min: 16384, max: 61440, step: 4096 },
  16384: { min: 32768, max: 122880, step: 8192 },
};

/** True when Fargate offers `memoryMiB` with `cpu` units. */
export function isFargateSize(cpu: number, memoryMiB: number): boolean {
  const row = FARGATE_MEMORY[cpu];
  if (!row || !Number.isInteger(memoryMiB)) {
    return false;
  }
  if (row.also?.includes(memoryMiB)) {
    return true;
  }
  return memoryMiB >= row.min && memoryMiB <= row.max && (memoryMiB - row.min) % row.step === 0;
}

const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The public side of a container service: an internet-facing load balancer. */
export interface PublicEndpointProps {
  /**
   * The port the container listens on.
   *
   * @default 8080
   */
  readonly port?: number;
  /**
   * The path the load balancer's health check requests; 2xx and 3xx answers
   * are healthy.
   *
   * @default '/health'
   */
  readonly healthCheckPath?: string;
  /**
   * An ACM certificate (in the stack's region) for the load balancer: it
   * then serves HTTPS on 443 with that certificate and TLS 1.2 or 1.3, and
   * answers HTTP on 80 with a permanent redirect to HTTPS.
   *
   * @default - plain HTTP on 80
   */
  readonly certificateArn?: string;
}

/** Properties of a {@link SafeContainerService}. */
export interface SafeContainerServiceProps {
  /** The network the tasks run in. */
  readonly network: ServiceNetwork;
  /** The cluster, with Fargate capacity providers. */
  readonly cluster: ecs.ICluster;
  /** The ECR repository of the image. */
  readonly repository: ecr.IRepository;
  /**
   * The image tag, e.g. the commit CI built and pushed. Images come only
   * from the repository: synthesis never builds one.
   */
  readonly imageTag: string;
  /**
   * The command the container runs.
   *
   * @default - the image's own
   */
  readonly command?: readonly string[];
  /**
   * Task CPU units (256 = 0.25 vCPU): 256, 512, 1024, 2048, 4096, 8192 or
   * 16384.
   *
   * @default - the stage's (256 in dev, 512 in prod)
   */
  readonly cpu?: number;
  /**
   * Task memory in MiB, a combination Fargate offers with `cpu`.
   *
   * @default - the stage's (512 in dev, 1024 in prod)
   */
  readonly memoryMiB?: number;
  /**
   * Tasks the service runs, 1 to 100; the autoscaling minimum.
   *
   * @default - the stage's (1 in dev, 2 in prod)
   */
  readonly desiredCount?: number;
  /**
   * The most tasks CPU-based autoscaling may run, from `desiredCount` to 100.
   *
   * @default - twice `desiredCount`
   */
  readonly maxCount?: number;
  /**
   * Average CPU utilization autoscaling keeps the service at, 10 to 95.
   *
   * @default 70
   */
  readonly targetCpuPercent?: number;
  /**
   * Run on Fargate Spot capacity.
   *
   * @default - the stage's (true in dev, false in prod)
   */
  readonly spot?: boolean;
  /**
   * Put the service behind an internet-facing Application Load Balancer
   * with health checks.
   *
   * @default - a background service without a load balancer
   */
  readonly publicEndpoint?: PublicEndpointProps;
  /**
   * Environment variables.
   *
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * A Fargate service with explicit CPU and memory, a deployment circuit
 * breaker that rolls a failed deployment back, CPU-based autoscaling,
 * Fargate Spot where the stage says so, logs with the stage's retention, and
 * its image from an ECR repository at a given tag (the repository's CI
 * builds and pushes it; synthesis never needs Docker). With a public
 * endpoint it sits behind an internet-facing Application Load Balancer
 * whose health checks gate deployments (HTTP on 80, or with a certificate
 * HTTPS on 443 and a redirect from 80); without one it is a background
 * service with no inbound access at all.
 */
export class SafeContainerService extends Construct {
  /** The service. */
  readonly service: ecs.FargateService;
  /** The task definition. */
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The service's container. */
  readonly container: ecs.ContainerDefinition;
  /** The container's log group. */
  readonly logGroup: logs.LogGroup;
  /** The load balancer, for a public service. */
  readonly loadBalancer?: elbv2.ApplicationLoadBalancer;
  /**
   * The load balancer's URL (`https://` with a certificate, else `http://`,
   * and its DNS name), for a public service.
   */
  readonly url?: string;
  /** The load balancer's target group, for a public service. */
  readonly targetGroup?: elbv2.ApplicationTargetGroup;
  /** The autoscaling target. */
  readonly scaling: ecs.ScalableTaskCount;
  /** Task CPU units. */
  readonly cpu: number;
  /** Task memory in MiB. */
  readonly memoryMiB: number;

  constructor(scope: Construct, id: string, props: SafeContainerServiceProps) {
    super(scope, id);
    const stage = stageConfigOf(this);
    const defaults = stage.containerDefaults;
    const cpu = props.cpu ?? defaults.cpu;
    const memoryMiB = props.memoryMiB ?? defaults.memoryMiB;
    const desiredCount = props.desiredCount ?? defaults.desiredCount;
    const maxCount = props.maxCount ?? desiredCount * 2;
    const targetCpu = props.targetCpuPercent ?? 70;
    const port = props.publicEndpoint?.port ?? 8080;
    const healthCheckPath = props.publicEndpoint?.healthCheckPath ?? '/health';
    const certificateArn = props.publicEndpoint?.certificateArn;
    const envNames = Object.keys(props.environment ?? {});
    validateProps(this, 'SafeContainerService', [
      {
        prop: 'cpu',
        value: cpu,
        ok: FARGATE_MEMORY[cpu] !== undefined,
        allowed: `one of ${Object.keys(FARGATE_MEMORY).join(', ')} (CPU units; 1024 = 1 vCPU)`,
      },
      {
        prop: 'memoryMiB',
        value: memoryMiB,
        ok: FARGATE_MEMORY[cpu] === undefined || isFargateSize(cpu, memoryMiB),
        allowed: FARGATE_MEMORY[cpu]
          ? `with cpu ${cpu}, ${[...(FARGATE_MEMORY[cpu].also ?? []), FARGATE_MEMORY[cpu].min].join(' or ')} to ${FARGATE_MEMORY[cpu].max} in steps of ${FARGATE_MEMORY[cpu].step}`
          : 'a Fargate memory size',
      },
      {
        prop: 'desiredCount',
        value: desiredCount,
        ok: isIntegerBetween(desiredCount, 1, 100),
        allowed: 'an integer from 1 to 100',
      },
      {
        prop: 'maxCount',
        value: maxCount,
        ok: isIntegerBetween(maxCount, Math.max(1, desiredCount), 100),
        allowed: `an integer from desiredCount (${desiredCount}) to 100`,
      },
      {
        prop: 'targetCpuPercent',
        value: targetCpu,
        ok: isIntegerBetween(targetCpu, 10, 95),
        allowed: 'an integer from 10 to 95',
      },
      {
        prop: 'imageTag',
        value: props.imageTag,
        ok: IMAGE_TAG.test(props.imageTag),
        allowed: 'an image tag: a letter, digit or _ followed by at most 127 letters, digits, _ . -',
      },
      {
        prop: 'publicEndpoint.port',
        value: port,
        ok: isIntegerBetween(port, 1, 65535),
        allowed: 'an integer from 1 to 65535',
      },
      {
        prop: 'publicEndpoint.healthCheckPath',
        value: healthCheckPath,
        ok: /^\/[\x21-\x7e]{0,1023}$/.test(healthCheckPath),
        allowed: 'a path starting with /',
      },
      {
        prop: 'publicEndpoint.certificateArn',
        value: certificateArn,
        ok: certificateArn === undefined || ACM_CERTIFICATE_ARN.test(certificateArn),
        allowed: ACM_CERTIFICATE_ARN_ALLOWED,
      },
      ...envNames.map(name => ({
        prop: 'environment',
        value: name,
        ok: ENV_NAME.test(name),
        allowed: 'variable names of letters, digits and _, not starting with a digit',
      })),
    ]);
    this.cpu = cpu;
    this.memoryMiB = memoryMiB;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: stage.logRetentionDays as logs.RetentionDays,
      removalPolicy: stage.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu,
      memoryLimitMiB: memoryMiB,
    });
    this.container = this.taskDefinition.addContainer('App', {
      image: ecs.ContainerImage.fromEcrRepository(props.repository, props.imageTag),
      command: props.command ? [...props.command] : undefined,
      environment: props.environment ? { ...props.environment } : undefined,
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: id, logGroup: this.logGroup }),
      portMappings: props.publicEndpoint ? [{ containerPort: port }] : undefined,
      essential: true,
    });
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount,
      vpcSubnets: props.network.containerSubnets,
      assignPublicIp: props.network.containersNeedPublicIp,
      capacityProviderStrategies: [
        { capacityProvider: (props.spot ?? defaults.spot) ? 'FARGATE_SPOT' : 'FARGATE', weight: 1 },
      ],
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
      healthCheckGracePeriod: props.publicEndpoint ? Duration.seconds(60) : undefined,
    });
    // The capacity provider strategy needs the cluster's capacity provider
    // association to exist first (CloudFormation does not infer it).
    this.service.node.addDependency(props.cluster);
    if (props.publicEndpoint) {
      this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
        vpc: props.network.vpc,
        internetFacing: true,
        vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
        dropInvalidHeaderFields: true,
      });
      const listener = certificateArn
        ? this.loadBalancer.addListener('Https', {
            port: 443,
            open: true,
            certificates: [elbv2.ListenerCertificate.fromArn(certificateArn)],
            sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
          })
        : this.loadBalancer.addListener('Http', { port: 80, open: true });
      if (certificateArn) {
        this.loadBalancer.addListener('Http', {
          port: 80,
          open: true,
          defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
        });
      }
      this.url = `${certificateArn ? 'https' : 'http'}://${this.loadBalancer.loadBalancerDnsName}`;
      this.targetGroup = listener.addTargets('Service', {
        port,
        protocol: elbv2.ApplicationProtocol.HTTP,
        targets: [this.service],
        deregistrationDelay: Duration.seconds(30),
        healthCheck: {
          path: healthCheckPath,
          healthyHttpCodes: '200-399',
          interval: Duration.seconds(30),
          healthyThresholdCount: 2,
          unhealthyThresholdCount: 3,
        },
      });
    }
    this.scaling = this.service.autoScaleTaskCount({
      minCapacity: desiredCount,
      maxCapacity: maxCount,
    });
    this.scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: targetCpu });
  }

  /**
   * Lets the service connect to a database: ingress on the database's
   * security group from this service's group only, and the connection in
   * the environment (`DATABASE_<NAME>_HOST`, `_PORT`, `_NAME`) with the
   * credentials from Secrets Manager (`DATABASE_<NAME>_USERNAME`,
   * `_PASSWORD`), never in the template.
   */
  connectToDatabase(name: string, database: SafeDatabase): void {
    database.connections.allowFrom(this.service, ec2.Port.tcp(POSTGRES_PORT), `from ${this.node.path}`);
    const prefix = `DATABASE_${envKey(name)}`;
    this.container.addEnvironment(`${prefix}_HOST`, database.instance.dbInstanceEndpointAddress);
    this.container.addEnvironment(`${prefix}_PORT`, String(POSTGRES_PORT));
    this.container.addEnvironment(`${prefix}_NAME`, database.databaseName);
    this.container.addSecret(`${prefix}_USERNAME`, ecs.Secret.fromSecretsManager(database.secret, 'username'));
    this.container.addSecret(`${prefix}_PASSWORD`, ecs.Secret.fromSecretsManager(database.secret, 'password'));
  }

  /**
   * Lets the service connect to a cache: ingress on the cache's security
   * group from this service's group only, and `CACHE_<NAME>_HOST`, `_PORT`
   * and `CACHE_<NAME>_TLS=true` (the cache requires TLS) in the environment.
   */
  connectToCache(name: string, cache: SafeCache): void {
    cache.connections.allowFrom(this.service, ec2.Port.tcp(REDIS_PORT), `from ${this.node.path}`);
    const prefix = `CACHE_${envKey(name)}`;
    this.container.addEnvironment(`${prefix}_HOST`, cache.host);
    this.container.addEnvironment(`${prefix}_PORT`, String(REDIS_PORT));
    this.container.addEnvironment(`${prefix}_TLS`, 'true');
  }
}

function envKey(name: string): string {
  return name.replace(/-/g, '_').toUpperCase();
}
