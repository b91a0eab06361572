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
  TargetType,
  TeardownResponse,
} from './types';
export {
  entityRefSchema,
  extendExpiryRequestSchema,
  registerDeploymentRequestSchema,
} from './schemas';
export { stackyardEntityChannel } from './signals';
export type { StackyardSignal } from './signals';
export { StackyardApiError, StackyardClient } from './client';
export type { ListEnvironmentsQuery, StackyardRequestOptions } from './client';
