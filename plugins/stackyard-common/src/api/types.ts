/**
 * Types of the stackyard-backend REST API, shared by the backend, the
 * frontend and the scaffolder actions: each is inferred from its schema in
 * `models.ts` (answers) or `schemas.ts` (requests), which also generate the
 * backend's OpenAPI spec. Documentation lives on the schemas.
 */
import type { z } from 'zod';
import type {
  connectionKeyResponseSchema,
  deploymentStatusSchema,
  environmentAlarmSchema,
  environmentDetailsSchema,
  environmentSchema,
  environmentStatusSchema,
  listEnvironmentsResponseSchema,
  listOrphansResponseSchema,
  operationSchema,
  orphanKindSchema,
  orphanSchema,
  operationStateSchema,
  operationTypeSchema,
  previewSocketConnectionSchema,
  previewSocketFrameSchema,
  previewSocketInspectionSchema,
  registerDeploymentResponseSchema,
  stackEventSchema,
  stackResourceSchema,
  stackResourcesResponseSchema,
  targetTypeSchema,
  teardownResponseSchema,
} from './models';
import type {
  checkDriftResponseSchema,
  driftReportSchema,
  driftStatusSchema,
  environmentDriftSchema,
  propertyDifferenceSchema,
  resourceDriftSchema,
} from './drift';
import type {
  extendExpiryRequestSchema,
  registerDeploymentRequestSchema,
  sendToConnectionRequestSchema,
  synthesizedResourceSchema,
  webSocketApiDefinitionSchema,
  webSocketRouteIntegrationSchema,
} from './schemas';

export type TargetType = z.infer<typeof targetTypeSchema>;
export type EnvironmentStatus = z.infer<typeof environmentStatusSchema>;
export type DeploymentStatus = z.infer<typeof deploymentStatusSchema>;
export type EnvironmentAlarm = z.infer<typeof environmentAlarmSchema>;
export type Environment = z.infer<typeof environmentSchema>;
export type OperationType = z.infer<typeof operationTypeSchema>;
export type OperationState = z.infer<typeof operationStateSchema>;
export type Operation = z.infer<typeof operationSchema>;
export type StackEvent = z.infer<typeof stackEventSchema>;
export type StackResource = z.infer<typeof stackResourceSchema>;
export type SynthesizedResource = z.infer<typeof synthesizedResourceSchema>;
/** `GET /environments/{id}/resources` */
export type StackResourcesResponse = z.infer<
  typeof stackResourcesResponseSchema
>;
/** `GET /environments` */
export type ListEnvironmentsResponse = z.infer<
  typeof listEnvironmentsResponseSchema
>;
export type OrphanKind = z.infer<typeof orphanKindSchema>;
export type Orphan = z.infer<typeof orphanSchema>;
/** `GET /orphans` */
export type ListOrphansResponse = z.infer<typeof listOrphansResponseSchema>;
/** `GET /environments/{id}` */
export type EnvironmentDetails = z.infer<typeof environmentDetailsSchema>;
/** `POST /environments` */
export type RegisterDeploymentRequest = z.input<
  typeof registerDeploymentRequestSchema
>;
/** `POST /environments` (201 when created, 200 when updated) */
export type RegisterDeploymentResponse = z.infer<
  typeof registerDeploymentResponseSchema
>;
/** `POST /environments/{id}/teardown` (202) */
export type TeardownResponse = z.infer<typeof teardownResponseSchema>;
/** `POST /environments/{id}/extend` */
export type ExtendExpiryRequest = z.input<typeof extendExpiryRequestSchema>;

export type WebSocketRouteIntegration = z.infer<
  typeof webSocketRouteIntegrationSchema
>;
export type WebSocketApiDefinition = z.infer<
  typeof webSocketApiDefinitionSchema
>;
export type WebSocketRoute = WebSocketApiDefinition['routes'][string];
export type PreviewSocketConnection = z.infer<
  typeof previewSocketConnectionSchema
>;
export type PreviewSocketFrame = z.infer<typeof previewSocketFrameSchema>;
/** `GET /environments/{id}/sockets` */
export type PreviewSocketInspection = z.infer<
  typeof previewSocketInspectionSchema
>;
/** `POST /environments/{id}/sockets/connections/{connectionId}/messages` */
export type SendToConnectionRequest = z.input<
  typeof sendToConnectionRequestSchema
>;
/** `POST /environments/{id}/sockets/connection-key` */
export type ConnectionKeyResponse = z.infer<typeof connectionKeyResponseSchema>;
export type DriftStatus = z.infer<typeof driftStatusSchema>;
export type EnvironmentDrift = z.infer<typeof environmentDriftSchema>;
export type PropertyDifference = z.infer<typeof propertyDifferenceSchema>;
export type ResourceDrift = z.infer<typeof resourceDriftSchema>;
/** `GET /environments/{id}/drift` */
export type DriftReport = z.infer<typeof driftReportSchema>;
/** `POST /environments/{id}/drift` (202) */
export type CheckDriftResponse = z.infer<typeof checkDriftResponseSchema>;
