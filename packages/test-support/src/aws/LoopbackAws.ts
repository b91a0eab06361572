import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoopbackCloudFormation } from './cloudFormation';
import { LoopbackCloudWatch } from './cloudWatch';
import { LoopbackCostExplorer } from './costExplorer';
import { LoopbackPricing } from './pricing';
import {
  LoopbackRequest,
  LoopbackResponse,
  LoopbackService,
  signatureOf,
} from './protocol';
import { serviceOf } from './route';
import { LoopbackS3 } from './s3';
import { LoopbackSsm } from './ssm';
import { LoopbackSts } from './sts';

/** The bootstrap qualifier of `cdk bootstrap`'s defaults. */
export const BOOTSTRAP_QUALIFIER = 'hnb659fds';

/** Where the loopback account is. */
export interface LoopbackAwsOptions {
  /** @default 123456789012 */
  account?: string;
  /** @default eu-west-1 */
  region?: string;
}

/**
 * One loopback HTTP endpoint for every AWS service Stackyard's tests call,
 * speaking their wire protocols so the real SDK clients (and toolkit-lib)
 * work against it unchanged: CloudFormation and STS (query, XML),
 * CloudWatch (JSON 1.0), SSM (JSON 1.1), S3 (REST-XML). Point a client's
 * `endpoint` at {@link url}. A request goes to the handler of its service
 * (see `serviceOf`); a service or action the endpoint does not implement
 * gets a 400 naming it and is listed in {@link unimplemented}. Adding a
 * service (Lambda, DynamoDB, Cost Explorer) is one more `LoopbackService`
 * in {@link services}.
 */
export class LoopbackAws {
  readonly cloudFormation: LoopbackCloudFormation;
  readonly cloudWatch = new LoopbackCloudWatch();
  /** Cost Explorer (JSON 1.1): GetCostAndUsage. */
  readonly costExplorer = new LoopbackCostExplorer();
  /** The Price List query API (JSON 1.1): GetProducts. */
  readonly pricing = new LoopbackPricing();
  readonly s3: LoopbackS3;
  readonly ssm = new LoopbackSsm();
  readonly sts: LoopbackSts;
  /** Handlers by SigV4 signing name. */
  readonly services = new Map<string, LoopbackService>();
  /** Every call, in order, as `service:Action`, throttled ones included. */
  readonly calls: string[] = [];
  /** Calls per action, e.g. `{ DescribeStacks: 3 }`, throttled ones included. */
  readonly callCount: Record<string, number> = {};
  /** The next N calls of an action answer with a throttling error. */
  readonly throttle: Record<string, number> = {};
  /**
   * The error code throttled calls of an action answer with, when not the
   * service's throttling error, e.g. Cost Explorer's
   * `LimitExceededException` for `GetCostAndUsage`.
   */
  readonly throttleWith: Record<string, string> = {};
  /**
   * Actions refused on every call with an error code, e.g.
   * `{ GetProducts: 'AccessDeniedException' }` for a role without the permission.
   */
  readonly refuse: Record<string, string> = {};
  /** Calls answered with "not implemented". */
  readonly unimplemented: string[] = [];
  url = '';
  private server?: http.Server;

  private constructor(readonly account: string, readonly region: string) {
    this.s3 = new LoopbackS3(region);
    this.sts = new LoopbackSts(account);
    this.cloudFormation = new LoopbackCloudFormation(account, region, u =>
      this.s3.readUrl(u),
    );
    for (const service of [
      this.cloudFormation,
      this.cloudWatch,
      this.costExplorer,
      this.pricing,
      this.s3,
      this.ssm,
      this.sts,
    ]) {
      this.services.set(service.signingName, service);
    }
  }

  /** Starts an endpoint on a free loopback port. */
  static async start(options: LoopbackAwsOptions = {}): Promise<LoopbackAws> {
    const aws = new LoopbackAws(
      options.account ?? '123456789012',
      options.region ?? 'eu-west-1',
    );
    await aws.listen();
    return aws;
  }

  /**
   * Sets up what `cdk bootstrap` leaves in the account: the assets bucket
   * and the bootstrap version parameter.
   */
  bootstrap(version = 30): { bucket: string } {
    const bucket = `cdk-${BOOTSTRAP_QUALIFIER}-assets-${this.account}-${this.region}`;
    this.s3.createBucket(bucket);
    this.ssm.parameters.set(
      `/cdk-bootstrap/${BOOTSTRAP_QUALIFIER}/version`,
      String(version),
    );
    return { bucket };
  }

  /** Calls of one service, e.g. `callsOf('s3')` → `['PutObject', …]`. */
  callsOf(service: string): string[] {
    return this.calls
      .filter(c => c.startsWith(`${service}:`))
      .map(c => c.slice(service.length + 1));
  }

  totalCalls(): number {
    return this.calls.length;
  }

  resetCalls() {
    this.calls.length = 0;
    for (const key of Object.keys(this.callCount)) delete this.callCount[key];
  }

  async stop(): Promise<void> {
    this.cloudFormation.stop();
    await new Promise<void>(resolve => {
      if (!this.server) {
        resolve();
        return;
      }
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private async dispatch(
    req: http.IncomingMessage,
    body: Buffer,
  ): Promise<LoopbackResponse> {
    const url = new URL(req.url ?? '/', 'http://loopback');
    const request: LoopbackRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      host: (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase(),
      body,
      accessKeyId: signatureOf(req.headers).accessKeyId,
    };
    const name = serviceOf(request);
    const service = name ? this.services.get(name) : undefined;
    if (!service) {
      const label = `${name ?? 'unknown'}:${request.method} ${url.pathname}`;
      this.calls.push(label);
      this.unimplemented.push(label);
      return {
        status: 400,
        headers: { 'content-type': 'text/plain' },
        body: `The loopback AWS endpoint does not implement service "${
          name ?? '(unrecognised request)'
        }"`,
      };
    }
    const action = service.actionOf(request);
    const label = `${service.signingName}:${action}`;
    this.calls.push(label);
    this.callCount[action] = (this.callCount[action] ?? 0) + 1;
    if ((this.throttle[action] ?? 0) > 0) {
      this.throttle[action] -= 1;
      return service.error(action, this.throttleWith[action] ?? 'Throttling', 'Rate exceeded');
    }
    const refusal = this.refuse[action];
    if (refusal) {
      return service.error(
        action,
        refusal,
        `The loopback endpoint refuses ${action} (${refusal})`,
      );
    }
    const response = await service.handle(request, action);
    if (response.unimplemented) this.unimplemented.push(label);
    return response;
  }

  private async listen() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () => {
        this.dispatch(req, Buffer.concat(chunks))
          .then(response => {
            res.writeHead(response.status, response.headers);
            res.end(req.method === 'HEAD' ? undefined : response.body ?? '');
          })
          .catch((e: Error) => {
            this.calls.push(`error:${req.method} ${req.url}`);
            res.writeHead(500, { 'content-type': 'text/plain' });
            res.end(`loopback AWS endpoint failed: ${e.stack ?? e.message}`);
          });
      });
    });
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', () => resolve()),
    );
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }
}
