import type * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type { HttpApi } from '../constructs/HttpApi';
import type { SafeCache } from '../constructs/SafeCache';
import type { SafeContainerService } from '../constructs/SafeContainerService';
import type { SafeDatabase } from '../constructs/SafeDatabase';
import type { SafeFunction } from '../constructs/SafeFunction';
import type { SafeQueue } from '../constructs/SafeQueue';
import type { SafeTable } from '../constructs/SafeTable';
import type { ServiceAlarms } from '../constructs/ServiceAlarms';
import type { ServiceBudget } from '../constructs/ServiceBudget';
import type { ServiceNetwork } from '../constructs/ServiceNetwork';
import type { ServiceStack } from '../constructs/ServiceStack';
import type { WebSocketApi } from '../constructs/WebSocketApi';
import type { ServiceManifest } from './schema';

// The types buildService produces and extensions consume, in a module of
// their own so that buildService (which loads extensions) and loadExtension
// (whose extensions receive a Service) do not import each other.

/** A service built from a manifest: the stack and its named parts, for custom code to extend. */
export interface Service {
  /** The stack. */
  readonly stack: ServiceStack;
  /** Functions by manifest name. */
  readonly functions: Readonly<Record<string, SafeFunction>>;
  /** Queues by manifest name. */
  readonly queues: Readonly<Record<string, SafeQueue>>;
  /** Tables by manifest name. */
  readonly tables: Readonly<Record<string, SafeTable>>;
  /** The WebSocket API, when the manifest declares one. */
  readonly webSocketApi?: WebSocketApi;
  /** The HTTP API, when the manifest declares one. */
  readonly httpApi?: HttpApi;
  /** The VPC, when the manifest declares containers, databases, caches or a network. */
  readonly network?: ServiceNetwork;
  /** The ECS cluster, when the manifest declares containers. */
  readonly cluster?: ecs.Cluster;
  /** ECR repositories of the containers' images, by repository name. */
  readonly repositories: Readonly<Record<string, ecr.IRepository>>;
  /** Container services by manifest name. */
  readonly containers: Readonly<Record<string, SafeContainerService>>;
  /** Databases by manifest name. */
  readonly databases: Readonly<Record<string, SafeDatabase>>;
  /** Caches by manifest name. */
  readonly caches: Readonly<Record<string, SafeCache>>;
  /** The service's alarms. */
  readonly alarms: ServiceAlarms;
  /** The monthly budget, when the manifest gives the stage one. */
  readonly budget?: ServiceBudget;
}

/** What an extension is told about the service it extends. */
export interface ExtensionContext {
  /** The environment's prefix, e.g. `wo-42`. */
  readonly prefix: string;
  /** The stage, e.g. `dev`. */
  readonly stage: string;
  /** The app directory. */
  readonly appDir: string;
  /** The service's manifest. */
  readonly manifest: ServiceManifest;
}

/**
 * Custom CDK code that extends a service built from its manifest. It runs
 * synchronously while the app is built, so whatever it adds is synthesized
 * and judged by the safety policy like the rest of the stack.
 */
export type ServiceExtension = (
  service: Service,
  context: ExtensionContext,
) => void;
