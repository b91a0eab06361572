// Types, schemas and a client of the stackyard-backend REST API.
export type {
  DeploymentStatus,
  Environment,
  EnvironmentAlarm,
  EnvironmentDetails,
  EnvironmentStatus,
  ExtendExpiryRequest,
  ListEnvironmentsResponse,
  Operation,
  OperationState,
  OperationType,
  RegisterDeploymentRequest,
  RegisterDeploymentResponse,
  StackEvent,
  StackResource,
  StackResourcesResponse,
  SynthesizedResource,
  TargetType,
  TeardownResponse,
} from './types';
export type {
  ConnectionKeyResponse,
  PreviewSocketConnection,
  PreviewSocketFrame,
  PreviewSocketInspection,
  SendToConnectionRequest,
  WebSocketApiDefinition,
  WebSocketRoute,
  WebSocketRouteIntegration,
} from './sockets';
export {
  entityRefSchema,
  extendExpiryRequestSchema,
  registerDeploymentRequestSchema,
  sendToConnectionRequestSchema,
  stackResourcesSchema,
  webSocketApiDefinitionSchema,
  webSocketRouteIntegrationSchema,
} from './schemas';
export { stackyardEntityChannel } from './signals';
export type { StackyardSignal } from './signals';
export { StackyardApiError, StackyardClient } from './client';
export type {
  InspectSocketsQuery,
  ListEnvironmentsQuery,
  StackyardRequestOptions,
} from './client';
