import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeCloudFormation } from './fakeCloudFormation';
import { FakeS3 } from './fakeS3';
import { FakeSsm } from './fakeSsm';
import { FakeSts } from './fakeSts';
import {
  FakeRequest,
  FakeResponse,
  FakeService,
  signedService,
} from './protocol';

/** The bootstrap qualifier of `cdk bootstrap`'s defaults. */
export const BOOTSTRAP_QUALIFIER = 'hnb659fds';

/**
 * A loopback HTTP endpoint speaking the AWS wire protocols a toolkit-lib
 * deploy uses: STS and CloudFormation (query protocol, XML), SSM (JSON 1.1)
 * and S3 (REST-XML). Requests are routed by the service of their SigV4
 * signature, as AWS-compatible endpoints serving every service on one port
 * do. Every call is logged as `service:Action`; a call the fake does not
 * implement gets a 400 naming it and is listed in {@link unimplemented}.
 */
export class FakeAwsEndpoint {
  readonly cloudFormation: FakeCloudFormation;
  readonly s3: FakeS3;
  readonly ssm = new FakeSsm();
  readonly sts: FakeSts;
  /** Every call, in order, e.g. `cloudformation:CreateChangeSet`. */
  readonly calls: string[] = [];
  /** Calls answered with "not implemented". */
  readonly unimplemented: string[] = [];
  url = '';
  private server?: http.Server;

  private constructor(readonly account: string, readonly region: string) {
    this.s3 = new FakeS3(region);
    this.sts = new FakeSts(account);
    this.cloudFormation = new FakeCloudFormation(account, region, u =>
      this.s3.readUrl(u),
    );
  }

  static async start(options: {
    account: string;
    region: string;
  }): Promise<FakeAwsEndpoint> {
    const fake = new FakeAwsEndpoint(options.account, options.region);
    await fake.listen();
    return fake;
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

  private service(name: string | undefined): FakeService | undefined {
    switch (name) {
      case 'cloudformation':
        return this.cloudFormation;
      case 's3':
        return this.s3;
      case 'ssm':
        return this.ssm;
      case 'sts':
        return this.sts;
      default:
        return undefined;
    }
  }

  private async dispatch(
    req: http.IncomingMessage,
    body: Buffer,
  ): Promise<{ label: string; response: FakeResponse }> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const { service: name, accessKeyId } = signedService(req.headers);
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      host: (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase(),
      body,
      accessKeyId,
    };
    const service = this.service(name);
    if (!service) {
      return {
        label: `${name ?? 'unsigned'}:${request.method} ${url.pathname}`,
        response: {
          status: 400,
          headers: { 'content-type': 'text/plain' },
          body: `The fake AWS endpoint does not implement service "${
            name ?? '(unsigned request)'
          }"`,
        },
      };
    }
    const { action, response } = await service.handle(request);
    return { label: `${name}:${action}`, response };
  }

  private async listen() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () => {
        this.dispatch(req, Buffer.concat(chunks))
          .then(({ label, response }) => {
            this.calls.push(label);
            const body = response.body ?? '';
            if (response.status === 400 && /not implement/.test(String(body))) {
              this.unimplemented.push(label);
            }
            res.writeHead(response.status, response.headers);
            res.end(req.method === 'HEAD' ? undefined : body);
          })
          .catch((e: Error) => {
            this.calls.push(`error:${req.method} ${req.url}`);
            res.writeHead(500, { 'content-type': 'text/plain' });
            res.end(`fake AWS endpoint failed: ${e.stack ?? e.message}`);
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
