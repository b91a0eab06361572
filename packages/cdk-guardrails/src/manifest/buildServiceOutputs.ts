import { CfnOutput, Fn } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { pascal } from './names';
import type { Service } from './service';

/**
 * The outputs {@link addStackOutputs} gives a stack, by the manifest name
 * (in PascalCase) they start with, for CI (`aws cloudformation
 * describe-stacks --query 'Stacks[0].Outputs'`) and people. Each is a valid
 * CloudFormation logical ID: letters and digits only.
 */
export const STACK_OUTPUT_NAMES = {
  /** The ECS cluster of every container service. */
  cluster: 'ClusterName',
  /** A container service's ECS service name. */
  serviceName: (container: string) => `${pascal(container)}ServiceName`,
  /** A container service's task definition ARN, at the revision deployed. */
  taskDefinitionArn: (container: string) => `${pascal(container)}TaskDefinitionArn`,
  /** The subnet IDs a container service's tasks run in, comma-separated. */
  subnets: (container: string) => `${pascal(container)}Subnets`,
  /** A container service's security group IDs, comma-separated. */
  securityGroups: (container: string) => `${pascal(container)}SecurityGroups`,
  /** `ENABLED` when a container service's tasks need a public IP (no NAT gateway), else `DISABLED`. */
  assignPublicIp: (container: string) => `${pascal(container)}AssignPublicIp`,
  /** A public container's load balancer URL. */
  loadBalancerUrl: (container: string) => `${pascal(container)}LoadBalancerUrl`,
  /** The HTTP API's URL. */
  httpApiUrl: 'HttpApiUrl',
  /** The WebSocket API's `wss://` URL. */
  webSocketUrl: 'WebSocketUrl',
  /** A database's endpoint address. */
  databaseEndpoint: (database: string) => `${pascal(database)}DatabaseEndpoint`,
  /** The ARN of a database's credentials secret. */
  databaseSecretArn: (database: string) => `${pascal(database)}DatabaseSecretArn`,
  /** A cache's primary endpoint address. */
  cachePrimaryEndpoint: (cache: string) => `${pascal(cache)}CachePrimaryEndpoint`,
} as const;

function output(scope: Construct, name: string, value: string, description: string): void {
  // Created inside the resource's construct (no clash with the stack's own
  // IDs), then named exactly: the name is what CI reads.
  new CfnOutput(scope, `${name}Output`, { value, description }).overrideLogicalId(name);
}

/**
 * Adds the stack outputs CI and people need: per container service its
 * cluster, service, task definition and run-task networking (a one-off
 * task such as migrations runs with the worker's), the load balancer's URL,
 * the HTTP and WebSocket APIs' URLs, databases' endpoints and secrets, and
 * caches' primary endpoints.
 */
export function addStackOutputs(service: Service): void {
  const names = STACK_OUTPUT_NAMES;
  if (service.cluster) {
    output(service.cluster, names.cluster, service.cluster.clusterName, 'ECS cluster of the container services');
  }
  const network = service.network;
  for (const [name, c] of Object.entries(service.containers)) {
    output(c, names.serviceName(name), c.service.serviceName, `ECS service of container ${name}`);
    output(c, names.taskDefinitionArn(name), c.taskDefinition.taskDefinitionArn, `Task definition of container ${name} (for one-off tasks)`);
    if (network) {
      const subnets = network.vpc.selectSubnets(network.containerSubnets).subnetIds;
      output(c, names.subnets(name), Fn.join(',', subnets), `Subnets the tasks of container ${name} run in`);
      output(c, names.assignPublicIp(name), network.containersNeedPublicIp ? 'ENABLED' : 'DISABLED', `Whether tasks of container ${name} need a public IP`);
    }
    const groups = c.service.connections.securityGroups.map(g => g.securityGroupId);
    output(c, names.securityGroups(name), Fn.join(',', groups), `Security groups of container ${name}`);
    if (c.url) {
      output(c, names.loadBalancerUrl(name), c.url, `Load balancer URL of container ${name}`);
    }
  }
  if (service.httpApi) {
    output(service.httpApi, names.httpApiUrl, service.httpApi.url, 'HTTP API URL');
  }
  if (service.webSocketApi) {
    output(service.webSocketApi, names.webSocketUrl, service.webSocketApi.stage.url, 'WebSocket API URL');
  }
  for (const [name, d] of Object.entries(service.databases)) {
    output(d, names.databaseEndpoint(name), d.instance.dbInstanceEndpointAddress, `Endpoint address of database ${name}`);
    output(d, names.databaseSecretArn(name), d.secret.secretArn, `Secrets Manager secret with the credentials of database ${name}`);
  }
  for (const [name, k] of Object.entries(service.caches)) {
    output(k, names.cachePrimaryEndpoint(name), k.host, `Primary endpoint address of cache ${name} (TLS)`);
  }
}
