import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { evaluateTemplate } from '../policy/evaluateTemplate';
import { REQUIRED_TAGS, TAGGABLE_TYPES, tagEntries } from '../policy/rules/requiredTags';
import { resolveStageConfig } from '../stages/stageConfig';
import { synthService } from '../synth/synthService';
import { withoutRuntimeAnalytics } from '../synth/testing';
import { IMAGE_TAG_CONTEXT, buildService } from './buildService';
import { readFileSync } from 'fs';
import { loadManifest, parseManifest } from './loadManifest';

// Two syntheses through the policy on a shared, loaded machine.
jest.setTimeout(120_000);

const appDir = join(__dirname, '../../fixtures/container-service');
const manifest = loadManifest(join(appDir, 'stackyard.yaml'));

type Resources = Record<string, { Type: string; Properties?: any; DeletionPolicy?: string }>;
const ofType = (template: any, type: string) =>
  Object.values(template.Resources as Resources).filter(r => r.Type === type);

describe('buildService with containers, databases, caches and an HTTP API', () => {
  // One synthesis per stage, shared by the tests below.
  const results = Promise.all(
    ['dev', 'prod'].map(stage => synthService({ appDir, prefix: 'wo', stage, manifest, commit: 'abc1234' })),
  );
  const templateOf = async (stage: 'dev' | 'prod') => {
    const [dev, prod] = await results;
    const result = stage === 'dev' ? dev : prod;
    return result.templates[result.stackName] as any;
  };

  it('passes the safety policy in dev and prod', async () => {
    for (const result of await results) {
      expect(result.findings).toEqual([]);
      expect(result.ok).toBe(true);
    }
  });

  it("sizes everything by the seed's dev/prod table", async () => {
    const [dev, prod] = [await templateOf('dev'), await templateOf('prod')];
    expect(ofType(dev, 'AWS::EC2::NatGateway')).toHaveLength(0);
    expect(ofType(prod, 'AWS::EC2::NatGateway')).toHaveLength(1);
    expect(ofType(dev, 'AWS::RDS::DBInstance')[0].Properties).toMatchObject({
      DBInstanceClass: 'db.t3.micro', AllocatedStorage: '20', MultiAZ: false, StorageEncrypted: true,
    });
    expect(ofType(prod, 'AWS::RDS::DBInstance')[0]).toMatchObject({
      DeletionPolicy: 'Snapshot',
      Properties: { DBInstanceClass: 'db.t3.small', AllocatedStorage: '50', MultiAZ: true, DeletionProtection: true, BackupRetentionPeriod: 7 },
    });
    expect(ofType(dev, 'AWS::ElastiCache::ReplicationGroup')[0].Properties).toMatchObject({ CacheNodeType: 'cache.t3.micro' });
    expect(ofType(prod, 'AWS::ElastiCache::ReplicationGroup')[0].Properties).toMatchObject({ CacheNodeType: 'cache.t3.small' });
    for (const service of ofType(dev, 'AWS::ECS::Service')) {
      expect(service.Properties.CapacityProviderStrategy).toEqual([{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }]);
    }
    for (const service of ofType(prod, 'AWS::ECS::Service')) {
      expect(service.Properties.CapacityProviderStrategy).toEqual([{ CapacityProvider: 'FARGATE', Weight: 1 }]);
      expect(service.Properties.DeploymentConfiguration.DeploymentCircuitBreaker).toEqual({ Enable: true, Rollback: true });
    }
    expect(ofType(dev, 'AWS::ECS::TaskDefinition').map(t => [t.Properties.Cpu, t.Properties.Memory])).toEqual([['256', '512'], ['256', '512']]);
    expect(ofType(prod, 'AWS::ECS::TaskDefinition').map(t => [t.Properties.Cpu, t.Properties.Memory])).toEqual([['512', '1024'], ['512', '1024']]);
    expect(ofType(prod, 'AWS::ApplicationAutoScaling::ScalableTarget').map(t => t.Properties.MaxCapacity).sort()).toEqual([4, 4]);
    expect(ofType(dev, 'AWS::ApiGatewayV2::Route').map(r => r.Properties.RouteKey)).toEqual(['POST /jobs']);
    expect(ofType(prod, 'AWS::ApiGatewayV2::Stage')[0].Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: 500,
      ThrottlingBurstLimit: 1000,
    });
  });

  it('outputs what CI needs to run a one-off task and what people open, under stable names', async () => {
    const dev = await templateOf('dev');
    const outputs = dev.Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs).sort()).toEqual([
      'ApiAssignPublicIp', 'ApiLoadBalancerUrl', 'ApiSecurityGroups', 'ApiServiceName', 'ApiSubnets', 'ApiTaskDefinitionArn',
      'ClusterName', 'HttpApiUrl', 'MainDatabaseEndpoint', 'MainDatabaseSecretArn', 'QueueCachePrimaryEndpoint',
      'WorkerAssignPublicIp', 'WorkerSecurityGroups', 'WorkerServiceName', 'WorkerSubnets', 'WorkerTaskDefinitionArn',
    ]);
    const logicalIdOf = (type: string, prefix: string) =>
      Object.entries(dev.Resources as Resources).find(([id, r]) => r.Type === type && id.startsWith(prefix))![0];
    const value = (name: string) => outputs[name].Value;
    expect(value('ClusterName')).toEqual({ Ref: logicalIdOf('AWS::ECS::Cluster', 'Cluster') });
    expect(value('WorkerServiceName')).toEqual({ 'Fn::GetAtt': [logicalIdOf('AWS::ECS::Service', 'WorkerContainer'), 'Name'] });
    expect(value('WorkerTaskDefinitionArn')).toEqual({ Ref: logicalIdOf('AWS::ECS::TaskDefinition', 'WorkerContainer') });
    // The worker's own networking: dev has no NAT gateway, so its tasks run
    // in both public subnets with a public IP.
    const service = (dev.Resources as Resources)[logicalIdOf('AWS::ECS::Service', 'WorkerContainer')];
    const vpc = service.Properties.NetworkConfiguration.AwsvpcConfiguration;
    expect(value('WorkerSubnets')).toEqual({ 'Fn::Join': [',', vpc.Subnets] });
    // One group: CloudFormation gets it without a join.
    expect([value('WorkerSecurityGroups')]).toEqual(vpc.SecurityGroups);
    expect([value('WorkerAssignPublicIp'), vpc.AssignPublicIp]).toEqual(['ENABLED', 'ENABLED']);
    expect(JSON.stringify(value('ApiLoadBalancerUrl'))).toMatch(/^\{"Fn::Join":\["",\["http:\/\/",\{"Fn::GetAtt":\["ApiContainerLoadBalancer\w+","DNSName"\]\}/);
    expect(JSON.stringify(value('HttpApiUrl'))).toMatch(/"https:\/\/",\{"Ref":"HttpApi\w+"\},".execute-api."/);
    expect(value('MainDatabaseEndpoint')).toEqual({ 'Fn::GetAtt': [logicalIdOf('AWS::RDS::DBInstance', 'MainDatabase'), 'Endpoint.Address'] });
    expect(value('MainDatabaseSecretArn')).toEqual({ Ref: logicalIdOf('AWS::SecretsManager::Secret', 'MainDatabase') });
    expect(value('QueueCachePrimaryEndpoint')).toEqual({
      'Fn::GetAtt': [logicalIdOf('AWS::ElastiCache::ReplicationGroup', 'QueueCache'), 'PrimaryEndPoint.Address'],
    });
    // prod has a NAT gateway: tasks in private subnets without public IPs.
    expect((await templateOf('prod')).Outputs.WorkerAssignPublicIp.Value).toBe('DISABLED');
  });

  it('serves the public container over HTTPS when the manifest gives it a certificate', () => {
    const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f2b1c3d-4e5f-6789-abcd-ef0123456789';
    const withCertificate = structuredClone(manifest);
    withCertificate.containers!.api.certificateArn = certificateArn;
    const app = new App({ stackTraces: false, builtinCloudFormationValidation: false });
    const service = buildService(app, withCertificate, { prefix: 'wo', stage: 'dev', appDir });
    const template = Template.fromStack(service.stack).toJSON();
    const listeners = ofType(template, 'AWS::ElasticLoadBalancingV2::Listener').map(l => l.Properties);
    expect(listeners.map(l => [l.Port, l.Protocol, l.DefaultActions[0].Type]).sort()).toEqual([
      [443, 'HTTPS', 'forward'],
      [80, 'HTTP', 'redirect'],
    ]);
    expect(listeners.find(l => l.Port === 443).Certificates).toEqual([{ CertificateArn: certificateArn }]);
    expect(JSON.stringify(template.Outputs.ApiLoadBalancerUrl.Value)).toContain('"https://"');
  });

  it.each(['dev', 'prod'] as const)('matches the %s snapshot', async stage => {
    expect(withoutRuntimeAnalytics(await templateOf(stage))).toMatchSnapshot();
  });

  it('tags every taggable resource with non-empty cost tags, map-tagged types included', async () => {
    const template = await templateOf('prod');
    const tagged = Object.values(template.Resources as Resources).filter(
      r => TAGGABLE_TYPES.has(r.Type) || r.Properties?.Tags !== undefined,
    );
    for (const type of ['AWS::ECS::Service', 'AWS::RDS::DBInstance', 'AWS::ElastiCache::ReplicationGroup', 'AWS::ApiGatewayV2::Api', 'AWS::EC2::VPC', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::SecretsManager::Secret']) {
      expect(tagged.map(r => r.Type)).toContain(type);
    }
    for (const resource of tagged) {
      const tags = new Map(tagEntries(resource.Properties?.Tags));
      for (const key of REQUIRED_TAGS) {
        expect([resource.Type, key, tags.get(key)]).toEqual([resource.Type, key, expect.stringMatching(/\S/)]);
      }
    }
  });

  it('alarms on CPU, storage and connections in prod only, named by the stack', async () => {
    const names = (t: any) => ofType(t, 'AWS::CloudWatch::Alarm').map(a => a.Properties.AlarmName as string);
    expect(names(await templateOf('dev'))).toEqual([]);
    const prod = names(await templateOf('prod'));
    for (const name of ['wo-prod-api-cpu', 'wo-prod-worker-cpu', 'wo-prod-main-cpu', 'wo-prod-main-storage', 'wo-prod-main-connections', 'wo-prod-queue-cpu', 'wo-prod-queue-connections', 'wo-prod-intake-errors']) {
      expect(prod).toContain(name);
    }
    expect(prod.every(n => n.startsWith('wo-prod-'))).toBe(true);
  });

  it('pulls images tagged with the commit unless CI gives the tag in the context', async () => {
    const image = (t: any) => JSON.stringify(ofType(t, 'AWS::ECS::TaskDefinition')[0].Properties.ContainerDefinitions[0].Image);
    expect(image(await templateOf('dev'))).toContain('/orchestrator:abc1234');
    const app = new App({
      context: { [IMAGE_TAG_CONTEXT]: 'build-42' },
      stackTraces: false,
      builtinCloudFormationValidation: false,
    });
    const service = buildService(app, manifest, { prefix: 'wo', stage: 'dev', appDir, commit: 'abc1234' });
    expect(image(Template.fromStack(service.stack).toJSON())).toContain('/orchestrator:build-42');
    expect(Object.keys(service.containers)).toEqual(['api', 'worker']);
  });

  it('fails the policy on a hand-made non-compliant copy of what it builds', async () => {
    const template = structuredClone(await templateOf('prod'));
    const first = (type: string) => ofType(template, type)[0];
    const db = first('AWS::RDS::DBInstance');
    Object.assign(db.Properties, { MultiAZ: false, DeletionProtection: false, StorageEncrypted: false, BackupRetentionPeriod: 1 });
    db.DeletionPolicy = 'Delete';
    delete first('AWS::ECS::TaskDefinition').Properties.Cpu;
    delete first('AWS::ECS::Service').Properties.DeploymentConfiguration.DeploymentCircuitBreaker;
    first('AWS::ElastiCache::ReplicationGroup').Properties.TransitEncryptionEnabled = false;
    delete first('AWS::ApiGatewayV2::Stage').Properties.DefaultRouteSettings;
    first('AWS::EC2::VPC').Properties.Tags = [{ Key: 'Project', Value: 'wo' }, { Key: 'Environment', Value: 'prod' }, { Key: 'CostCenter', Value: '' }];
    const report = evaluateTemplate(template, { stack: 'wo-prod', stage: resolveStageConfig('prod') });
    expect([...new Set(report.findings.map(f => f.ruleId))].sort()).toEqual([
      'SY-ECS-CIRCUIT-BREAKER',
      'SY-ECS-TASK-SIZE',
      'SY-ELASTICACHE-ENCRYPTION',
      'SY-HTTPAPI-THROTTLING',
      'SY-RDS-BACKUP-RETENTION',
      'SY-RDS-DELETION-PROTECTION',
      'SY-RDS-ENCRYPTION',
      'SY-RDS-MULTI-AZ',
      'SY-TAGS',
    ]);
    expect(report.findings.find(f => f.ruleId === 'SY-TAGS')).toMatchObject({
      path: 'Network/Vpc/Resource',
      message: expect.stringMatching(/^empty tag CostCenter ""/),
    });
  });
});

describe('the http kind on the serverless template', () => {
  it('routes POST /jobs to intake, throttled, and passes the policy', async () => {
    // The template's manifest (which declares the route) with its answers filled in.
    const skeleton = join(__dirname, '../../../../templates/serverless-service/skeleton');
    const answers: Record<string, string> = { name: 'orders', project: 'wo' };
    const text = readFileSync(join(skeleton, 'stackyard.yaml'), 'utf8')
      .replace(/\$\{\{ values\.maxJobAgeMinutes \| dump \}\}/, '15')
      .replace(/\$\{\{ \('component:default\/' ~ values\.name\) \| dump \}\}/, '"component:default/orders"')
      .replace(/\$\{\{ values\.(\w+) \| dump \}\}/g, (_, key: string) => JSON.stringify(answers[key] ?? `${key}-1`));
    const skeletonManifest = parseManifest(text);
    expect(skeletonManifest.http).toEqual({ routes: { 'POST /jobs': 'intake' } });
    const result = await synthService({ appDir: skeleton, prefix: 'wo', stage: 'prod', manifest: skeletonManifest });
    expect(result.findings).toEqual([]);
    const template = result.templates[result.stackName] as any;
    expect(ofType(template, 'AWS::ApiGatewayV2::Route').map(r => r.Properties.RouteKey)).toEqual(['POST /jobs']);
    const permission = ofType(template, 'AWS::Lambda::Permission').find(p => p.Properties.Principal === 'apigateway.amazonaws.com');
    expect(JSON.stringify(permission?.Properties.FunctionName)).toMatch(/IntakeFunction/);
    expect(ofType(template, 'AWS::ApiGatewayV2::Stage')[0].Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: 500,
      ThrottlingBurstLimit: 1000,
    });
    // No network: a serverless service gets no VPC.
    expect(ofType(template, 'AWS::EC2::VPC')).toEqual([]);
  });
});
