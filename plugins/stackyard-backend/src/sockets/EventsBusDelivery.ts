import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import {
  ConnectionDirectory,
  ConnectionInfo,
  GoneException,
  ManagementApiError,
  RemoteConnections,
  managementErrorFromType,
  toManagementApiError,
} from '@stackyard/ws-emulator';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** The events-bus topic carrying `@connections` operations between replicas. */
export const PREVIEW_SOCKETS_TOPIC = 'stackyard.preview-sockets';

const operationSchema = z.enum(['post', 'get', 'delete']);

/** Asks the replica `to` to run an operation on a connection it holds. */
const requestSchema = z
  .object({
    type: z.literal('request'),
    requestId: z.uuid(),
    from: z.string().min(1).max(64),
    to: z.string().min(1).max(64),
    environmentId: z.uuid(),
    connectionId: z.string().min(1).max(128),
    operation: operationSchema,
    /** base64 of the data, for `post`. */
    data: z
      .string()
      .max(1024 * 1024)
      .optional(),
  })
  .strict();

const infoSchema = z.object({
  connectedAt: z.string(),
  identity: z.object({ sourceIp: z.string(), userAgent: z.string() }),
  lastActiveAt: z.string(),
});

/** The answer, to the replica that asked. */
const replySchema = z.union([
  z
    .object({
      type: z.literal('reply'),
      requestId: z.uuid(),
      to: z.string().min(1).max(64),
      ok: z.literal(true),
      info: infoSchema.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('reply'),
      requestId: z.uuid(),
      to: z.string().min(1).max(64),
      ok: z.literal(false),
      errorType: z.string().min(1).max(64),
      message: z.string().max(1024),
    })
    .strict(),
]);

export type DeliveryRequest = z.infer<typeof requestSchema>;
export type DeliveryReply = z.infer<typeof replySchema>;

/**
 * The connections of an environment this replica holds (a
 * `locateConnections` directory without `elsewhere`: it never asks the bus
 * again); each operation throws `ManagementApiError`s.
 */
export type LocalConnections = (environmentId: string) => ConnectionDirectory;

type Pending = {
  resolve(reply: DeliveryReply): void;
  timer: NodeJS.Timeout;
};

/**
 * `@connections` operations on connections held by other replicas, carried
 * by Backstage's events bus: a `request` names the holding replica (looked
 * up in the database), which runs the operation and publishes a `reply`.
 * Every replica subscribes under its own id, so each sees every message.
 */
export class EventsBusDelivery {
  private readonly pending = new Map<string, Pending>();

  static async create(options: {
    events: EventsService;
    replicaId: string;
    /** The replica holding a connection of the environment, if any holds it. */
    holderOf(
      environmentId: string,
      connectionId: string,
    ): Promise<string | undefined>;
    local: LocalConnections;
    logger: LoggerService;
    /** How long to wait for the holding replica's reply. */
    timeoutMs: number;
  }): Promise<EventsBusDelivery> {
    const delivery = new EventsBusDelivery(options);
    await options.events.subscribe({
      id: `preview-sockets.${options.replicaId}`,
      topics: [PREVIEW_SOCKETS_TOPIC],
      onEvent: async params => delivery.onMessage(params.eventPayload),
    });
    return delivery;
  }

  private constructor(
    private readonly options: Parameters<typeof EventsBusDelivery.create>[0],
  ) {}

  /** The environment's connections held by other replicas. */
  forEnvironment(environmentId: string): RemoteConnections {
    return {
      post: (id, data) =>
        this.ask(environmentId, id, 'post', data).then(() => undefined),
      get: id => this.get(environmentId, id),
      delete: id => this.ask(environmentId, id, 'delete').then(() => undefined),
    };
  }

  private async get(
    environmentId: string,
    connectionId: string,
  ): Promise<ConnectionInfo> {
    const reply = await this.ask(environmentId, connectionId, 'get');
    if (!reply.info) {
      throw new ManagementApiError(
        'InternalServerErrorException',
        500,
        'The holding replica answered without the connection',
      );
    }
    return reply.info;
  }

  /** Stops waiting for replies. */
  close(): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      this.pending.delete(id);
    }
  }

  private async ask(
    environmentId: string,
    connectionId: string,
    operation: DeliveryRequest['operation'],
    data?: Buffer,
  ): Promise<Extract<DeliveryReply, { ok: true }>> {
    const holder = await this.options.holderOf(environmentId, connectionId);
    if (!holder || holder === this.options.replicaId) {
      throw new GoneException(connectionId);
    }
    const request: DeliveryRequest = {
      type: 'request',
      requestId: randomUUID(),
      from: this.options.replicaId,
      to: holder,
      environmentId,
      connectionId,
      operation,
      ...(data && { data: data.toString('base64') }),
    };
    const answered = new Promise<DeliveryReply | undefined>(resolve => {
      const timer = setTimeout(() => {
        this.pending.delete(request.requestId);
        resolve(undefined);
      }, this.options.timeoutMs);
      timer.unref();
      this.pending.set(request.requestId, { resolve, timer });
    });
    await this.options.events.publish({
      topic: PREVIEW_SOCKETS_TOPIC,
      eventPayload: request,
    });
    const reply = await answered;
    if (!reply) {
      // The holder did not answer in time: stopped, or unreachable.
      throw new GoneException(connectionId);
    }
    if (!reply.ok) {
      throw managementErrorFromType(reply.errorType, reply.message);
    }
    return reply;
  }

  private async onMessage(payload: unknown): Promise<void> {
    const type = (payload as { type?: unknown } | null)?.type;
    if (type === 'reply') {
      const reply = replySchema.safeParse(payload);
      if (!reply.success || reply.data.to !== this.options.replicaId) return;
      const pending = this.pending.get(reply.data.requestId);
      if (pending) {
        clearTimeout(pending.timer);
        this.pending.delete(reply.data.requestId);
        pending.resolve(reply.data);
      }
      return;
    }
    const parsed = requestSchema.safeParse(payload);
    if (!parsed.success) {
      this.options.logger.warn(
        `Ignored a malformed ${PREVIEW_SOCKETS_TOPIC} message: ${parsed.error.issues
          .map(i => `${i.path.join('.')}: ${i.message}`)
          .join('; ')}`,
      );
      return;
    }
    const request = parsed.data;
    if (request.to !== this.options.replicaId) return;
    const held = this.options.local(request.environmentId);
    const { connectionId } = request;
    let reply: DeliveryReply;
    try {
      let info: ConnectionInfo | undefined;
      if (request.operation === 'post') {
        await held.post(
          connectionId,
          Buffer.from(request.data ?? '', 'base64'),
        );
      } else if (request.operation === 'get') {
        info = await held.get(connectionId);
      } else {
        await held.delete(connectionId);
      }
      reply = {
        type: 'reply',
        requestId: request.requestId,
        to: request.from,
        ok: true,
        ...(info && { info }),
      };
    } catch (error) {
      const apiError = toManagementApiError(error);
      reply = {
        type: 'reply',
        requestId: request.requestId,
        to: request.from,
        ok: false,
        errorType: apiError.errorType,
        message: apiError.message.slice(0, 1024),
      };
    }
    await this.options.events.publish({
      topic: PREVIEW_SOCKETS_TOPIC,
      eventPayload: reply,
    });
  }
}
