/**
 * A hand-written CloudFormation template shaped like a container service:
 * a VPC with one NAT gateway, an application load balancer, two Fargate
 * services (2 × 0.5 vCPU/1 GB and 1 × 1 vCPU/2 GB on ARM), a Multi-AZ
 * PostgreSQL instance with 20 GB, a two-node Redis replication group, a
 * provisioned DynamoDB table and a function with provisioned concurrency.
 * Used by the estimator's tests and benchmark.
 */
export const containerServiceTemplate = {
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
    NatEip: { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc' } },
    Nat: {
      Type: 'AWS::EC2::NatGateway',
      Properties: {
        SubnetId: { Ref: 'PublicSubnet' },
        AllocationId: { 'Fn::GetAtt': ['NatEip', 'AllocationId'] },
      },
    },
    PublicSubnet: {
      Type: 'AWS::EC2::Subnet',
      Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.0.0/24' },
    },
    Alb: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: { Scheme: 'internet-facing', Type: 'application' },
    },
    ApiTask: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: { Cpu: '512', Memory: '1024', NetworkMode: 'awsvpc' },
    },
    ApiService: {
      Type: 'AWS::ECS::Service',
      Properties: {
        LaunchType: 'FARGATE',
        DesiredCount: 2,
        TaskDefinition: { Ref: 'ApiTask' },
      },
    },
    WorkerTask: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: {
        Cpu: '1024',
        Memory: '2048',
        RuntimePlatform: { CpuArchitecture: 'ARM64' },
      },
    },
    WorkerService: {
      Type: 'AWS::ECS::Service',
      Properties: {
        CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
        TaskDefinition: { Ref: 'WorkerTask' },
      },
    },
    Database: {
      Type: 'AWS::RDS::DBInstance',
      Properties: {
        Engine: 'postgres',
        DBInstanceClass: 'db.t4g.micro',
        MultiAZ: true,
        AllocatedStorage: '20',
        StorageType: 'gp3',
      },
    },
    Cache: {
      Type: 'AWS::ElastiCache::ReplicationGroup',
      Properties: {
        Engine: 'redis',
        CacheNodeType: 'cache.t4g.micro',
        NumCacheClusters: 2,
      },
    },
    Table: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      },
    },
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: { MemorySize: 512, Architectures: ['arm64'] },
    },
    FnVersion: {
      Type: 'AWS::Lambda::Version',
      Properties: {
        FunctionName: { Ref: 'Fn' },
        ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 },
      },
    },
    Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
  },
};
