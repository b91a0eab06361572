/**
 * A faithful local runtime for Amazon API Gateway WebSocket APIs, with the
 * `@connections` management API. Mountable on any `http.Server`, or run
 * standalone (library or `stackyard-ws` CLI).
 *
 * @packageDocumentation
 */

export { WebSocketApiEmulator } from './WebSocketApiEmulator';
export type {
  ConnectionInfo,
  ConnectionSummary,
  EmulatorActivity,
  FrameRecord,
  RemoteConnections,
  RouteDefinition,
  UpgradeAuthorization,
  WebSocketApiEmulatorOptions,
} from './types';
export { DEFAULT_LIMITS } from './limits';
export type { EmulatorLimits } from './limits';
export type {
  WebSocketEvent,
  WebSocketEventType,
  WebSocketRequestContext,
} from './events';
export { compileRouteSelectionExpression } from './routeSelection';
export type { RouteKeySelector } from './routeSelection';
export { locateConnections } from './management/ConnectionDirectory';
export type {
  ConnectionDirectory,
  ConnectionHolder,
} from './management/ConnectionDirectory';
export {
  BadRequestException,
  ForbiddenException,
  GoneException,
  LimitExceededException,
  ManagementApiError,
  PayloadTooLargeException,
  managementErrorFromType,
  toManagementApiError,
} from './management/errors';
export {
  IntegrationError,
  IntegrationTimeoutError,
} from './integrations/types';
export type {
  Integration,
  IntegrationContext,
  ProxyResult,
} from './integrations/types';
export { httpIntegration } from './integrations/httpIntegration';
export type { HttpIntegrationOptions } from './integrations/httpIntegration';
export { lambdaIntegration } from './integrations/lambdaIntegration';
export type { LambdaIntegrationOptions } from './integrations/lambdaIntegration';
export { moduleIntegration } from './integrations/moduleIntegration';
export type {
  LambdaStyleContext,
  LambdaStyleHandler,
  ModuleIntegrationOptions,
} from './integrations/moduleIntegration';
export { workerIntegration } from './integrations/workerIntegration';
export type { WorkerIntegrationOptions } from './integrations/workerIntegration';
export { startWebSocketApiServer } from './standalone';
export type { StandaloneServer, StandaloneServerOptions } from './standalone';
export type { ChannelFrame } from './channels';
export { startManifestServer } from './manifest/startManifestServer';
export { resolveHandler } from './manifest/resolveHandler';
export type { ResolvedHandler } from './manifest/resolveHandler';
export type { ManifestServerOptions } from './manifest/startManifestServer';
export { runCli } from './cli/runCli';
export type { CliOutput } from './cli/runCli';
