import { cpSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { deployService } from './deployService';

jest.setTimeout(180_000);

const FIXTURE = resolve(__dirname, '../../fixtures/container-service');
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const STACK = 'wo-16-dev';

describe('deployService with the container service', () => {
  let aws: LoopbackAws;
  let dir: string;
  const log = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };

  beforeEach(async () => {
    aws = await LoopbackAws.start({ account: ACCOUNT, region: REGION });
    aws.bootstrap();
    dir = mkdtempSync(join(tmpdir(), 'stackyard-container-'));
    cpSync(FIXTURE, dir, { recursive: true });
  });

  afterEach(async () => {
    await aws.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deploys the VPC, services, load balancer, database and cache through toolkit-lib (loopback AWS endpoint)', async () => {
    const deployed = await deployService({
      appDir: dir,
      prefix: 'wo-16',
      stage: 'dev',
      commit: 'abc1234',
      env: { account: ACCOUNT, region: REGION },
      credentials: async () => ({
        accessKeyId: 'AKIASTACKYARDTEST',
        secretAccessKey: 'loopback-secret',
      }),
      endpoint: aws.url,
      approveBroadening: true,
      log,
      stackEventPollingInterval: 20,
    });

    expect(deployed.stackName).toBe(STACK);
    expect(deployed.awaitingApproval).toBeUndefined();
    // The default packs passed: no error findings, nothing acknowledged.
    expect(deployed.acknowledged).toEqual([]);
    expect(log.info).toHaveBeenCalledWith(
      expect.stringMatching(/^Safety policy: 0 findings, \d+ warning\(s\), 0 acknowledged; deploying wo-16-dev$/),
    );

    const stack = aws.cloudFormation.stacks.get(STACK)!;
    expect(deployed.stackId).toBe(stack.id);
    expect(stack.status).toBe('CREATE_COMPLETE');
    const created = stack.resources.filter(r => r.status === 'CREATE_COMPLETE');
    expect(created).toHaveLength(stack.resources.length);
    const count = (type: string) => created.filter(r => r.type === type).length;
    expect(count('AWS::EC2::VPC')).toBe(1);
    expect(count('AWS::ECS::Service')).toBe(2);
    expect(count('AWS::ElasticLoadBalancingV2::LoadBalancer')).toBe(1);
    expect(count('AWS::RDS::DBInstance')).toBe(1);
    expect(count('AWS::ElastiCache::ReplicationGroup')).toBe(1);
    // Everything the synthesized template declares was created.
    const template = deployed.templates[STACK] as { Resources: Record<string, unknown> };
    expect(new Set(created.map(r => r.logicalId))).toEqual(
      new Set(Object.keys(template.Resources)),
    );
    // The outputs CI reads to run the migrations task come back from the stack.
    const physicalIdOf = (type: string, prefix: string) =>
      created.find(r => r.type === type && r.logicalId.startsWith(prefix))!.physicalId!;
    expect(physicalIdOf('AWS::ECS::Cluster', 'Cluster')).toMatch(/\S/);
    expect(deployed.outputs).toMatchObject({
      ClusterName: physicalIdOf('AWS::ECS::Cluster', 'Cluster'),
      WorkerTaskDefinitionArn: physicalIdOf('AWS::ECS::TaskDefinition', 'WorkerContainer'),
      WorkerAssignPublicIp: 'ENABLED',
      WorkerSubnets: expect.stringMatching(/^[^,]+,[^,]+$/),
    });
  });
});
