import type { ActivityLog } from '../activity/ActivityLog';
import { ChannelHub, handleChannelFrame } from '../channels';
import type { Connection, InboundMessage } from '../connection/Connection';
import { messageEvent } from '../events';
import { createAwsStyleId } from '../ids';
import { invokeWithTimeout } from '../integrations/invoke';
import type { InvocationTracker } from '../integrations/InvocationTracker';
import { IntegrationTimeoutError } from '../integrations/types';
import type { RouteKeySelector } from '../routeSelection';
import type { RouteDefinition } from '../types';
import { SPECIAL_ROUTES } from './validateRoutes';

/**
 * Handles one inbound message of a connection: a channel control frame
 * (when channels are enabled), or a message routed by the route selection
 * expression (exact route → `$default` → a `Forbidden` frame) to its
 * integration, whose answer is sent back on two-way routes.
 */
export class MessageRouter {
  constructor(
    private readonly routes: ReadonlyMap<string, RouteDefinition>,
    private readonly select: RouteKeySelector,
    private readonly integrationTimeoutMs: number,
    private readonly inFlight: InvocationTracker,
    private readonly log: ActivityLog,
    private readonly channels?: ChannelHub,
  ) {}

  async handle(connection: Connection, message: InboundMessage): Promise<void> {
    const { data, isBinary } = message;
    const body = isBinary ? data.toString('base64') : data.toString('utf8');
    let parsed: unknown;
    if (!isBinary) {
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
    }
    if (
      this.channels &&
      parsed !== null &&
      typeof parsed === 'object' &&
      !Array.isArray(parsed) &&
      Object.prototype.hasOwnProperty.call(parsed, '$channel')
    ) {
      this.log.record(
        connection.id,
        'in',
        body,
        isBinary,
        data.length,
        '$channel',
      );
      handleChannelFrame(
        this.channels,
        connection,
        parsed as Record<string, unknown>,
        (c, text) => this.log.send(c, text),
      );
      return;
    }
    const routeKey = this.routeKeyOf(parsed);
    this.log.record(
      connection.id,
      'in',
      body,
      isBinary,
      data.length,
      routeKey ?? 'none',
    );
    const requestId = createAwsStyleId();
    if (routeKey === undefined) {
      this.log.send(
        connection,
        JSON.stringify({
          message: 'Forbidden',
          connectionId: connection.id,
          requestId,
        }),
      );
      this.log.report({
        type: 'route',
        connectionId: connection.id,
        routeKey: 'none',
        outcome: 'forbidden',
        durationMs: 0,
      });
      return;
    }
    const route = this.routes.get(routeKey)!;
    const started = Date.now();
    const event = messageEvent(
      connection.facts,
      routeKey,
      body,
      isBinary,
      requestId,
      started,
    );
    try {
      const result = await invokeWithTimeout(
        route.integration,
        event,
        this.integrationTimeoutMs,
        this.inFlight,
      );
      connection.lastActiveAt = Date.now();
      if (route.response && typeof result?.body === 'string') {
        if (result.isBase64Encoded) {
          this.log.send(connection, Buffer.from(result.body, 'base64'), true);
        } else {
          this.log.send(connection, result.body);
        }
      }
      if (this.log.listening) {
        this.log.report({
          type: 'route',
          connectionId: connection.id,
          routeKey,
          outcome: 'ok',
          durationMs: Date.now() - started,
        });
      }
    } catch (error) {
      const timeout = error instanceof IntegrationTimeoutError;
      this.log.send(
        connection,
        JSON.stringify({
          message: timeout
            ? 'Endpoint request timed out'
            : 'Internal server error',
          connectionId: connection.id,
          requestId,
        }),
      );
      this.log.report({
        type: 'route',
        connectionId: connection.id,
        routeKey,
        outcome: timeout ? 'timeout' : 'error',
        durationMs: Date.now() - started,
        error: String(error),
      });
    }
  }

  /** The route a parsed message goes to; undefined when none (Forbidden). */
  private routeKeyOf(parsed: unknown): string | undefined {
    const selected = parsed === undefined ? undefined : this.select(parsed);
    if (
      selected !== undefined &&
      !SPECIAL_ROUTES.has(selected) &&
      this.routes.has(selected)
    ) {
      return selected;
    }
    return this.routes.has('$default') ? '$default' : undefined;
  }
}
