import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { SafeCache } from './SafeCache';
import { SafeContainerService, SafeContainerServiceProps, isFargateSize } from './SafeContainerService';
import { SafeDatabase } from './SafeDatabase';
import { ServiceNetwork } from './ServiceNetwork';
import { testStack } from './testing';

function setup(stage: string) {
  const stack = testStack({ stage });
  const network = new ServiceNetwork(stack, 'Network');
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: network.vpc, enableFargateCapacityProviders: true });
  const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'orchestrator');
  const base = { network, cluster, repository, imageTag: 'abc123' };
  return { stack, network, base };
}

function serviceOf(template: Template, id: string) {
  const services = template.findResources('AWS::ECS::Service');
  const key = Object.keys(services).find(k => k.startsWith(id));
  return services[key!].Properties;
}

describe('SafeContainerService', () => {
  describe('in dev', () => {
    const { stack, network, base } = setup('dev');
    const api = new SafeContainerService(stack, 'Api', { ...base, publicEndpoint: { port: 3000, healthCheckPath: '/healthz' } });
    new SafeContainerService(stack, 'Worker', { ...base, command: ['node', 'worker.js'] });
    const db = new SafeDatabase(stack, 'Db', { network, databaseName: 'app' });
    const cache = new SafeCache(stack, 'Cache', { network });
    api.connectToDatabase('main', db);
    api.connectToCache('queue', cache);
    const template = Template.fromStack(stack);

    it('runs 0.25 vCPU / 0.5 GB tasks on Fargate Spot in public subnets with public IPs', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '256', Memory: '512', RequiresCompatibilities: ['FARGATE'] });
      expect(serviceOf(template, 'Api')).toMatchObject({
        DesiredCount: 1,
        CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }],
        NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED' } },
        DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true }, MinimumHealthyPercent: 100 },
      });
    });

    it('pulls its image from the ECR repository at the given tag (no Docker build)', () => {
      const images = Object.values(template.findResources('AWS::ECS::TaskDefinition')).map(t =>
        JSON.stringify(t.Properties.ContainerDefinitions[0].Image),
      );
      expect(images).toEqual([expect.stringContaining('.dkr.ecr.'), expect.stringContaining('.dkr.ecr.')]);
      expect(images.every(i => i.includes('/orchestrator:abc123'))).toBe(true);
      expect(JSON.stringify(template.toJSON())).not.toMatch(/cdk-hnb659fds-container-assets/);
    });

    it('puts the API behind an internet-facing load balancer with health checks', () => {
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Port: 3000,
        HealthCheckPath: '/healthz',
        Matcher: { HttpCode: '200-399' },
      });
      expect(serviceOf(template, 'Worker').LoadBalancers).toBeUndefined();
    });

    it('scales on CPU from the desired count to twice that', () => {
      template.resourcePropertiesCountIs('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: 2 }, 2);
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          TargetValue: 70,
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        }),
      });
    });

    it('opens the database and cache only to the services that connect to them', () => {
      const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map(r => r.Properties);
      const fromApi = (port: number) =>
        ingress.filter(
          p => p.FromPort === port && JSON.stringify(p.SourceSecurityGroupId).includes('ApiServiceSecurityGroup'),
        );
      expect(fromApi(5432)).toHaveLength(1);
      expect(fromApi(6379)).toHaveLength(1);
      expect(ingress.filter(p => p.FromPort === 5432 || p.FromPort === 6379)).toHaveLength(2);
      expect(ingress.some(p => p.CidrIp === '0.0.0.0/0' && (p.FromPort === 5432 || p.FromPort === 6379))).toBe(false);
    });

    it('passes the database credentials as secrets and the cache as TLS', () => {
      const task = Object.values(template.findResources('AWS::ECS::TaskDefinition')).find(t =>
        JSON.stringify(t).includes('DATABASE_MAIN_HOST'),
      )!;
      const container = task.Properties.ContainerDefinitions[0];
      expect(container.Secrets.map((s: { Name: string }) => s.Name).sort()).toEqual(['DATABASE_MAIN_PASSWORD', 'DATABASE_MAIN_USERNAME']);
      expect(container.Environment).toEqual(
        expect.arrayContaining([{ Name: 'CACHE_QUEUE_TLS', Value: 'true' }, { Name: 'DATABASE_MAIN_PORT', Value: '5432' }]),
      );
    });
  });

  it('waits for the cluster to have its capacity providers before creating the service', () => {
    const { stack, base } = setup('dev');
    new SafeContainerService(stack, 'Worker', base);
    const template = Template.fromStack(stack);
    const [association] = Object.keys(template.findResources('AWS::ECS::ClusterCapacityProviderAssociations'));
    const [service] = Object.values(template.findResources('AWS::ECS::Service'));
    expect(service.DependsOn).toContain(association);
  });

  it('runs 0.5 vCPU / 1 GB tasks on regular Fargate in private subnets in prod', () => {
    const { stack, base } = setup('prod');
    new SafeContainerService(stack, 'Api', { ...base, publicEndpoint: {} });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '512', Memory: '1024' });
    expect(serviceOf(template, 'Api')).toMatchObject({
      DesiredCount: 2,
      CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
      DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 8080, HealthCheckPath: '/health' });
  });

  describe('with a certificate', () => {
    const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f2b1c3d-4e5f-6789-abcd-ef0123456789';
    const { stack, base } = setup('dev');
    const api = new SafeContainerService(stack, 'Api', { ...base, publicEndpoint: { certificateArn } });
    const template = Template.fromStack(stack);
    const listeners = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::Listener')).map(l => l.Properties);

    it('serves HTTPS on 443 with the certificate and a TLS 1.2+ policy, forwarding to the service', () => {
      const https = listeners.find(l => l.Port === 443);
      expect(https).toMatchObject({
        Protocol: 'HTTPS',
        Certificates: [{ CertificateArn: certificateArn }],
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        DefaultActions: [{ Type: 'forward' }],
      });
      expect(api.url).toMatch(/^https:\/\//);
    });

    it('answers HTTP on 80 with a permanent redirect to HTTPS', () => {
      expect(listeners).toHaveLength(2);
      expect(listeners.find(l => l.Port === 80)).toMatchObject({
        Protocol: 'HTTP',
        DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
      });
    });

    it('opens 80 and 443 on the load balancer only', () => {
      const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroup'))
        .flatMap(g => g.Properties.SecurityGroupIngress ?? [])
        .filter((r: { CidrIp?: string }) => r.CidrIp === '0.0.0.0/0');
      expect(ingress.map((r: { FromPort: number }) => r.FromPort).sort((a, b) => a - b)).toEqual([80, 443]);
    });
  });

  it('serves plain HTTP on 80 without a certificate', () => {
    const { stack, base } = setup('dev');
    const api = new SafeContainerService(stack, 'Api', { ...base, publicEndpoint: {} });
    const template = Template.fromStack(stack);
    const listeners = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::Listener')).map(l => l.Properties);
    expect(listeners).toEqual([expect.objectContaining({ Port: 80, Protocol: 'HTTP', DefaultActions: [expect.objectContaining({ Type: 'forward' })] })]);
    expect(api.url).toMatch(/^http:\/\//);
  });

  it.each<[Partial<SafeContainerServiceProps>, string]>([
    [{ cpu: 300 }, 'cpu 300 is not allowed: one of 256, 512, 1024, 2048, 4096, 8192, 16384'],
    [{ cpu: 256, memoryMiB: 4096 }, 'memoryMiB 4096 is not allowed: with cpu 256, 512 or 1024 to 2048 in steps of 1024'],
    [{ desiredCount: 2, maxCount: 1 }, 'maxCount 1 is not allowed: an integer from desiredCount (2) to 100'],
    [{ imageTag: 'feature/x' }, 'imageTag "feature/x" is not allowed'],
    [{ environment: { 'BAD-NAME': 'x' } }, 'environment "BAD-NAME" is not allowed'],
    [
      { publicEndpoint: { certificateArn: 'arn:aws:iam::123456789012:server-certificate/site' } },
      'publicEndpoint.certificateArn "arn:aws:iam::123456789012:server-certificate/site" is not allowed: an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<id>',
    ],
  ])('refuses %j, quoting it with the construct path', (props, message) => {
    const { stack, base } = setup('dev');
    expect(() => new SafeContainerService(stack, 'Svc', { ...base, ...props })).toThrow(
      `[Svc/Svc] invalid SafeContainerService props: ${message}`,
    );
  });

  it.each([
    [256, 512, true],
    [256, 1024, true],
    [256, 1536, false],
    [512, 1024, true],
    [1024, 8192, true],
    [8192, 20480, true],
    [8192, 18432, false],
  ])('knows Fargate sizes: cpu %i with %i MiB → %s', (cpu, memory, ok) => {
    expect(isFargateSize(cpu, memory)).toBe(ok);
  });
});
