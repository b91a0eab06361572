import http from 'node:http';
import { AddressInfo } from 'node:net';

/** A stack held by {@link FakeAwsServer}. */
export type FakeStack = {
  name: string;
  id: string;
  status: string;
  reason?: string;
  outputs?: Record<string, string>;
  terminationProtection?: boolean;
  events?: { id: string; time: Date; logicalId: string; status: string }[];
  resources?: FakeStackResource[];
};

/** A resource of a {@link FakeStack}. */
export type FakeStackResource = {
  logicalId: string;
  type: string;
  physicalId?: string;
  status?: string;
  reason?: string;
};

/** An alarm held by {@link FakeAwsServer}. */
export type FakeAlarm = {
  name: string;
  type: 'metric' | 'composite';
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  reason?: string;
};

const xml = (value: string) =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

const CFN_NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

/**
 * A loopback HTTP endpoint speaking the CloudFormation query protocol
 * (form-encoded requests, XML responses) and CloudWatch's JSON 1.0 protocol,
 * enough for DescribeStacks, DescribeStackEvents, ListStackResources,
 * DeleteStack and DescribeAlarms, with pagination, throttling and per-action call counts.
 * Point an SDK client's `endpoint` at {@link FakeAwsServer.url}.
 */
export class FakeAwsServer {
  readonly stacks = new Map<string, FakeStack>();
  readonly alarms: FakeAlarm[] = [];
  /** Calls per action, e.g. `{ DescribeStacks: 3 }`, throttled ones included. */
  readonly calls: Record<string, number> = {};
  /** The next N calls of an action answer with a throttling error. */
  readonly throttle: Record<string, number> = {};
  /** Page sizes, like AWS's. */
  stacksPageSize = 100;
  eventsPageSize = 100;
  /** ListStackResources answers 100 summaries per page. */
  resourcesPageSize = 100;
  /**
   * When set, a stack being deleted finishes on its own this long after
   * DeleteStack, as CloudFormation's would: it leaves every listing.
   * Unset, deletions wait for {@link FakeAwsServer.completeDeletion}.
   */
  deletionCompletesAfterMs?: number;
  private server?: http.Server;

  url = '';

  static async start(): Promise<FakeAwsServer> {
    const fake = new FakeAwsServer();
    await fake.listen();
    return fake;
  }

  addStack(stack: Omit<FakeStack, 'id'> & { id?: string }): FakeStack {
    const full = {
      ...stack,
      id:
        stack.id ??
        `arn:aws:cloudformation:eu-west-1:123456789012:stack/${stack.name}/${this.stacks.size}`,
    };
    this.stacks.set(stack.name, full);
    return full;
  }

  /** Finishes a deletion: the stack disappears from listings. */
  completeDeletion(name: string) {
    this.stacks.delete(name);
  }

  totalCalls(): number {
    return Object.values(this.calls).reduce((a, b) => a + b, 0);
  }

  resetCalls() {
    for (const key of Object.keys(this.calls)) delete this.calls[key];
  }

  async stop(): Promise<void> {
    await new Promise<void>(resolve => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  private async listen() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const target = req.headers['x-amz-target'];
        if (typeof target === 'string') {
          this.cloudWatch(target.split('.').pop() ?? '', body, res);
        } else {
          this.cloudFormation(new URLSearchParams(body), res);
        }
      });
    });
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', () => resolve()),
    );
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  private count(action: string): boolean {
    this.calls[action] = (this.calls[action] ?? 0) + 1;
    if ((this.throttle[action] ?? 0) > 0) {
      this.throttle[action] -= 1;
      return true;
    }
    return false;
  }

  private cloudFormation(params: URLSearchParams, res: http.ServerResponse) {
    const action = params.get('Action') ?? '';
    const send = (status: number, text: string) => {
      res.writeHead(status, { 'Content-Type': 'text/xml' });
      res.end(text);
    };
    const error = (status: number, code: string, message: string) =>
      send(
        status,
        `<ErrorResponse xmlns="${CFN_NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xml(
          message,
        )}</Message></Error><RequestId>fake</RequestId></ErrorResponse>`,
      );
    const ok = (inner: string) =>
      send(
        200,
        `<${action}Response xmlns="${CFN_NS}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></${action}Response>`,
      );
    if (this.count(action)) {
      error(400, 'Throttling', 'Rate exceeded');
      return;
    }
    const name = params.get('StackName');
    const find = (n: string) =>
      this.stacks.get(n) ?? [...this.stacks.values()].find(s => s.id === n);
    const offset = Number(params.get('NextToken') ?? '0');

    if (action === 'DescribeStacks') {
      let stacks: FakeStack[];
      if (name) {
        const stack = find(name);
        if (!stack) {
          error(400, 'ValidationError', `Stack with id ${name} does not exist`);
          return;
        }
        stacks = [stack];
      } else {
        stacks = [...this.stacks.values()];
      }
      const page = stacks.slice(offset, offset + this.stacksPageSize);
      const next = offset + this.stacksPageSize;
      ok(
        `<Stacks>${page.map(s => this.stackXml(s)).join('')}</Stacks>${
          next < stacks.length ? `<NextToken>${next}</NextToken>` : ''
        }`,
      );
    } else if (action === 'DescribeStackEvents') {
      const stack = name ? find(name) : undefined;
      if (!stack) {
        error(400, 'ValidationError', `Stack [${name}] does not exist`);
        return;
      }
      const events = [...(stack.events ?? [])].sort(
        (a, b) => b.time.getTime() - a.time.getTime(),
      );
      const page = events.slice(offset, offset + this.eventsPageSize);
      const next = offset + this.eventsPageSize;
      ok(
        `<StackEvents>${page
          .map(
            e =>
              `<member><EventId>${xml(e.id)}</EventId><StackId>${xml(
                stack.id,
              )}</StackId><StackName>${xml(
                stack.name,
              )}</StackName><LogicalResourceId>${xml(
                e.logicalId,
              )}</LogicalResourceId><ResourceType>AWS::CloudFormation::Stack</ResourceType><Timestamp>${e.time.toISOString()}</Timestamp><ResourceStatus>${
                e.status
              }</ResourceStatus></member>`,
          )
          .join('')}</StackEvents>${
          next < events.length ? `<NextToken>${next}</NextToken>` : ''
        }`,
      );
    } else if (action === 'ListStackResources') {
      const stack = name ? find(name) : undefined;
      if (!stack) {
        error(400, 'ValidationError', `Stack with id ${name} does not exist`);
        return;
      }
      const resources = stack.resources ?? [];
      const page = resources.slice(offset, offset + this.resourcesPageSize);
      const next = offset + this.resourcesPageSize;
      ok(
        `<StackResourceSummaries>${page
          .map(r => this.resourceXml(r))
          .join('')}</StackResourceSummaries>${
          next < resources.length ? `<NextToken>${next}</NextToken>` : ''
        }`,
      );
    } else if (action === 'DeleteStack') {
      const stack = name ? find(name) : undefined;
      if (stack) {
        if (stack.terminationProtection) {
          error(
            400,
            'ValidationError',
            `Stack [${stack.name}] cannot be deleted while TerminationProtection is enabled`,
          );
          return;
        }
        stack.status = 'DELETE_IN_PROGRESS';
        stack.events = [
          ...(stack.events ?? []),
          {
            id: `${stack.name}-delete-${Date.now()}`,
            time: new Date(),
            logicalId: stack.name,
            status: 'DELETE_IN_PROGRESS',
          },
        ];
        if (this.deletionCompletesAfterMs !== undefined) {
          setTimeout(
            () => this.completeDeletion(stack.name),
            this.deletionCompletesAfterMs,
          ).unref();
        }
      }
      ok('');
    } else {
      error(400, 'InvalidAction', `Action ${action} is not supported`);
    }
  }

  private resourceXml(r: FakeStackResource): string {
    return `<member><LogicalResourceId>${xml(r.logicalId)}</LogicalResourceId>${
      r.physicalId
        ? `<PhysicalResourceId>${xml(r.physicalId)}</PhysicalResourceId>`
        : ''
    }<ResourceType>${xml(
      r.type,
    )}</ResourceType><LastUpdatedTimestamp>2026-01-01T00:00:00.000Z</LastUpdatedTimestamp><ResourceStatus>${
      r.status ?? 'CREATE_COMPLETE'
    }</ResourceStatus>${
      r.reason
        ? `<ResourceStatusReason>${xml(r.reason)}</ResourceStatusReason>`
        : ''
    }</member>`;
  }

  private stackXml(s: FakeStack): string {
    const outputs = Object.entries(s.outputs ?? {})
      .map(
        ([k, v]) =>
          `<member><OutputKey>${xml(k)}</OutputKey><OutputValue>${xml(
            v,
          )}</OutputValue></member>`,
      )
      .join('');
    return `<member><StackName>${xml(s.name)}</StackName><StackId>${xml(
      s.id,
    )}</StackId><CreationTime>2026-01-01T00:00:00.000Z</CreationTime><StackStatus>${
      s.status
    }</StackStatus>${
      s.reason ? `<StackStatusReason>${xml(s.reason)}</StackStatusReason>` : ''
    }<EnableTerminationProtection>${Boolean(
      s.terminationProtection,
    )}</EnableTerminationProtection><Outputs>${outputs}</Outputs></member>`;
  }

  private cloudWatch(action: string, body: string, res: http.ServerResponse) {
    const send = (status: number, payload: unknown, headers = {}) => {
      res.writeHead(status, {
        'Content-Type': 'application/x-amz-json-1.0',
        ...headers,
      });
      res.end(JSON.stringify(payload));
    };
    if (this.count(action)) {
      send(
        400,
        { __type: 'Throttling', message: 'Rate exceeded' },
        { 'x-amzn-query-error': 'Throttling;Sender' },
      );
      return;
    }
    if (action !== 'DescribeAlarms') {
      send(400, { __type: 'InvalidAction', message: `${action} unsupported` });
      return;
    }
    const input = JSON.parse(body || '{}');
    const types: string[] = input.AlarmTypes ?? ['MetricAlarm'];
    const pageSize = Math.min(Number(input.MaxRecords ?? 50), 100);
    const offset = Number(input.NextToken ?? '0');
    const matching = this.alarms.filter(
      a =>
        (!input.AlarmNamePrefix || a.name.startsWith(input.AlarmNamePrefix)) &&
        types.includes(a.type === 'metric' ? 'MetricAlarm' : 'CompositeAlarm'),
    );
    const page = matching.slice(offset, offset + pageSize);
    const toJson = (a: FakeAlarm) => ({
      AlarmName: a.name,
      StateValue: a.state,
      StateReason: a.reason,
      StateUpdatedTimestamp: Date.UTC(2026, 0, 1) / 1000,
    });
    const next = offset + pageSize;
    send(200, {
      MetricAlarms: page.filter(a => a.type === 'metric').map(toJson),
      CompositeAlarms: page.filter(a => a.type === 'composite').map(toJson),
      ...(next < matching.length ? { NextToken: String(next) } : {}),
    });
  }
}
