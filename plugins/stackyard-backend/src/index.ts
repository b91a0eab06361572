/**
 * Stackyard's backend plugin: environment state, REST API, reconciler,
 * guarded teardown and live updates.
 *
 * @packageDocumentation
 */
export { stackyardPlugin as default } from './plugin';
export { stackyardHttpServer } from './sockets/httpServerHandover';
export type {
  HttpServerConfigureContext,
  StackyardHttpServerOptions,
} from './sockets/httpServerHandover';
