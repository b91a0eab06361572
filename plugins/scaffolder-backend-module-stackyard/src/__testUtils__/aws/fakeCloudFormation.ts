import { randomUUID } from 'node:crypto';
import {
  FakeRequest,
  FakeService,
  Handled,
  el,
  members,
  queryError,
  queryList,
  queryOk,
} from './protocol';

const NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

type Template = {
  Resources?: Record<string, { Type: string; Properties?: unknown }>;
  Outputs?: Record<string, { Value: unknown; Description?: string }>;
  Parameters?: Record<string, { Default?: string }>;
};

/** A stack event, as DescribeStackEvents reports it. */
export interface FakeStackEvent {
  readonly eventId: string;
  readonly logicalId: string;
  readonly physicalId: string;
  readonly resourceType: string;
  readonly status: string;
  readonly reason?: string;
  readonly timestamp: Date;
}

/** A change set, as DescribeChangeSet reports it. */
interface FakeChangeSet {
  readonly name: string;
  readonly id: string;
  readonly type: 'CREATE' | 'UPDATE';
  readonly template: Template;
  readonly parameters: Record<string, string>;
  readonly creationTime: Date;
  status: string;
  executionStatus: string;
  statusReason?: string;
  readonly changes: { action: string; logicalId: string; type: string }[];
}

/** A stack held by {@link FakeCloudFormation}. */
export interface FakeCfnStack {
  readonly name: string;
  readonly id: string;
  readonly creationTime: Date;
  lastUpdatedTime?: Date;
  status: string;
  reason?: string;
  /** The deployed template; the one being deployed while in progress. */
  template: Template;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  outputs: Record<string, string>;
  /** Deployed resources, by logical ID. */
  resources: Map<string, { type: string; physicalId: string; status: string }>;
  /** Oldest first. */
  readonly events: FakeStackEvent[];
  readonly changeSets: Map<string, FakeChangeSet>;
}

/** One step of a simulated stack operation. */
type Step = () => void;

/** Resources whose creation or update the fake fails. */
interface Failure {
  readonly resourceType: string;
  readonly reason: string;
}

function resolveValue(value: unknown, stack: FakeCfnStack): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.Ref === 'string') {
      if (v.Ref === 'AWS::StackName') return stack.name;
      if (v.Ref === 'AWS::StackId') return stack.id;
      return stack.parameters[v.Ref] ?? stack.resources.get(v.Ref)?.physicalId;
    }
    if (Array.isArray(v['Fn::GetAtt'])) {
      const [logicalId, attribute] = v['Fn::GetAtt'] as string[];
      const physicalId = stack.resources.get(logicalId)?.physicalId;
      return physicalId ? `${physicalId}.${attribute}` : undefined;
    }
    if (Array.isArray(v['Fn::Join'])) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(p => resolveValue(p, stack) ?? '').join(sep);
    }
  }
  return undefined;
}

/**
 * CloudFormation over the query protocol, with change sets: a created stack
 * waits in REVIEW_IN_PROGRESS, and executing its change set walks it through
 * CREATE_IN_PROGRESS, one CREATE_IN_PROGRESS/CREATE_COMPLETE event pair per
 * resource, to CREATE_COMPLETE (updates alike), one event every `stepMs`, so
 * that a deploy's monitor sees them arrive. {@link failOn} makes a resource
 * type fail, which rolls the stack back (ROLLBACK_COMPLETE, or
 * UPDATE_ROLLBACK_COMPLETE for updates). Templates given by URL are read
 * from the fake S3 through `readUrl`.
 */
export class FakeCloudFormation implements FakeService {
  /** Stacks by name; deleted stacks are only found by ID. */
  readonly stacks = new Map<string, FakeCfnStack>();
  private readonly deleted = new Map<string, FakeCfnStack>();
  private readonly failures: Failure[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private eventCounter = 0;
  private lastEventTime = 0;
  /** Milliseconds between the steps of a stack operation. */
  stepMs = 5;
  /**
   * Outputs a stack reports on completion besides its template's own, by
   * stack name: stand-ins for outputs whose values only AWS would know.
   */
  readonly reportedOutputs = new Map<string, Record<string, string>>();

  constructor(
    private readonly account: string,
    private readonly region: string,
    private readonly readUrl: (url: string) => Buffer | undefined,
  ) {}

  /** Fails the creation or update of every resource of this type. */
  failOn(resourceType: string, reason: string) {
    this.failures.push({ resourceType, reason });
  }

  clearFailures() {
    this.failures.length = 0;
  }

  /** Stops stack operations in flight. */
  stop() {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  handle(request: FakeRequest): Handled {
    const params = new URLSearchParams(request.body.toString('utf8'));
    const action = params.get('Action') ?? '';
    const fail = (code: string, message: string) =>
      queryError(NS, action, code, message);
    const ok = (result: string) => queryOk(NS, action, result);
    const stackName = params.get('StackName') ?? '';
    const stack = this.find(stackName);
    const missing = () =>
      fail('ValidationError', `Stack with id ${stackName} does not exist`);

    switch (action) {
      case 'DescribeStacks': {
        if (stackName) {
          return stack
            ? ok(members('Stacks', [this.stackXml(stack)]))
            : missing();
        }
        return ok(
          members(
            'Stacks',
            [...this.stacks.values()].map(s => this.stackXml(s)),
          ),
        );
      }
      case 'GetTemplate':
        if (!stack) return missing();
        return ok(
          `${el('TemplateBody', JSON.stringify(stack.template))}${members(
            'StagesAvailable',
            ['Original', 'Processed'],
          )}`,
        );
      case 'DescribeStackEvents': {
        if (!stack) return missing();
        const newestFirst = [...stack.events].reverse();
        const offset = Number(params.get('NextToken') ?? '0');
        const page = newestFirst.slice(offset, offset + 100);
        const next = offset + 100;
        return ok(
          `${members(
            'StackEvents',
            page.map(e => this.eventXml(stack, e)),
          )}${next < newestFirst.length ? el('NextToken', next) : ''}`,
        );
      }
      case 'ListStackResources':
      case 'DescribeStackResources': {
        if (!stack) return missing();
        const resources = [...stack.resources.entries()].map(
          ([logicalId, r]) =>
            `${el('LogicalResourceId', logicalId)}${el(
              'PhysicalResourceId',
              r.physicalId,
            )}${el('ResourceType', r.type)}${el(
              'ResourceStatus',
              r.status,
            )}${el(
              action === 'ListStackResources'
                ? 'LastUpdatedTimestamp'
                : 'Timestamp',
              new Date().toISOString(),
            )}${el('StackName', stack.name)}${el('StackId', stack.id)}`,
        );
        return ok(
          members(
            action === 'ListStackResources'
              ? 'StackResourceSummaries'
              : 'StackResources',
            resources,
          ),
        );
      }
      case 'CreateChangeSet':
        return this.createChangeSet(params, stack, fail, ok);
      case 'DescribeChangeSet': {
        const found = this.findChangeSet(stack, params.get('ChangeSetName'));
        if (!found) {
          return fail(
            'ChangeSetNotFound',
            `ChangeSet [${params.get('ChangeSetName')}] does not exist`,
          );
        }
        return ok(this.changeSetXml(found.stack, found.cs));
      }
      case 'DeleteChangeSet': {
        // Like CloudFormation, succeeds whenever the stack exists, even if
        // the change set does not.
        const found = this.findChangeSet(stack, params.get('ChangeSetName'));
        if (!stack && !found) return missing();
        found?.stack.changeSets.delete(found.cs.name);
        return ok('');
      }
      case 'ExecuteChangeSet': {
        const found = this.findChangeSet(stack, params.get('ChangeSetName'));
        if (!found) {
          return fail(
            'ChangeSetNotFound',
            `ChangeSet [${params.get('ChangeSetName')}] does not exist`,
          );
        }
        const cs = found.cs;
        if (cs.executionStatus !== 'AVAILABLE') {
          return fail(
            'InvalidChangeSetStatus',
            `ChangeSet [${cs.name}] cannot be executed in its current status of [${cs.status}]`,
          );
        }
        this.execute(found.stack, cs, params.get('DisableRollback') === 'true');
        return ok('');
      }
      case 'DeleteStack':
        if (stack && !stack.status.startsWith('DELETE')) this.delete(stack);
        return ok('');
      default:
        return fail(
          'InvalidAction',
          `The fake CloudFormation does not implement ${
            action || '(no Action)'
          }`,
        );
    }
  }

  private find(nameOrId: string): FakeCfnStack | undefined {
    return (
      this.stacks.get(nameOrId) ??
      [...this.stacks.values()].find(s => s.id === nameOrId) ??
      this.deleted.get(nameOrId)
    );
  }

  /** A change set by ARN, or by name within the given stack. */
  private findChangeSet(
    stack: FakeCfnStack | undefined,
    nameOrId: string | null,
  ): { stack: FakeCfnStack; cs: FakeChangeSet } | undefined {
    for (const s of stack ? [stack] : this.stacks.values()) {
      for (const cs of s.changeSets.values()) {
        if (cs.id === nameOrId || cs.name === nameOrId) return { stack: s, cs };
      }
    }
    return undefined;
  }

  private createChangeSet(
    params: URLSearchParams,
    existing: FakeCfnStack | undefined,
    fail: (code: string, message: string) => Handled,
    ok: (result: string) => Handled,
  ): Handled {
    const name = params.get('StackName') ?? '';
    const changeSetName = params.get('ChangeSetName') ?? '';
    const type = params.get('ChangeSetType') ?? 'UPDATE';
    if (!/^[A-Za-z][-A-Za-z0-9]{0,127}$/.test(name)) {
      return fail('ValidationError', `StackName "${name}" is not valid`);
    }
    let body: string | undefined = params.get('TemplateBody') ?? undefined;
    const url = params.get('TemplateURL');
    if (!body && url) {
      body = this.readUrl(url)?.toString('utf8');
      if (body === undefined) {
        return fail(
          'ValidationError',
          `TemplateURL must reference a valid S3 object: ${url}`,
        );
      }
    }
    if (!body) {
      return fail(
        'ValidationError',
        'Either TemplateBody or TemplateURL must be given',
      );
    }
    let template: Template;
    try {
      template = JSON.parse(body);
    } catch {
      return fail('ValidationError', 'Template format error: not JSON');
    }
    const live =
      existing && !this.deleted.has(existing.id) ? existing : undefined;
    if (type === 'CREATE' && live && live.status !== 'REVIEW_IN_PROGRESS') {
      return fail('AlreadyExistsException', `Stack [${name}] already exists`);
    }
    if (type === 'UPDATE' && (!live || live.status === 'REVIEW_IN_PROGRESS')) {
      return fail('ValidationError', `Stack [${name}] does not exist`);
    }
    const parameters: Record<string, string> = {};
    for (const [key, decl] of Object.entries(template.Parameters ?? {})) {
      if (decl.Default !== undefined) parameters[key] = decl.Default;
    }
    for (const p of queryList(params, 'Parameters')) {
      if (p.UsePreviousValue === 'true' && live) {
        parameters[p.ParameterKey] = live.parameters[p.ParameterKey];
      } else if (p.ParameterValue !== undefined) {
        parameters[p.ParameterKey] = p.ParameterValue;
      }
    }
    const tags = Object.fromEntries(
      queryList(params, 'Tags').map(t => [t.Key, t.Value]),
    );
    const stack: FakeCfnStack = live ?? {
      name,
      id: `arn:aws:cloudformation:${this.region}:${
        this.account
      }:stack/${name}/${randomUUID()}`,
      creationTime: new Date(),
      status: 'REVIEW_IN_PROGRESS',
      template: {},
      parameters: {},
      tags,
      outputs: {},
      resources: new Map(),
      events: [],
      changeSets: new Map(),
    };
    if (!live) {
      this.stacks.set(name, stack);
      this.event(
        stack,
        name,
        stack.id,
        'AWS::CloudFormation::Stack',
        'REVIEW_IN_PROGRESS',
        'User Initiated',
      );
    }
    const changes = this.diff(stack.template, template);
    const unchanged =
      changes.length === 0 &&
      JSON.stringify(stack.parameters) === JSON.stringify(parameters) &&
      JSON.stringify(stack.template) === JSON.stringify(template);
    const cs: FakeChangeSet = {
      name: changeSetName,
      id: `arn:aws:cloudformation:${this.region}:${
        this.account
      }:changeSet/${changeSetName}/${randomUUID()}`,
      type: type === 'CREATE' ? 'CREATE' : 'UPDATE',
      template,
      parameters,
      creationTime: new Date(),
      status: unchanged ? 'FAILED' : 'CREATE_COMPLETE',
      executionStatus: unchanged ? 'UNAVAILABLE' : 'AVAILABLE',
      statusReason: unchanged
        ? "The submitted information didn't contain changes. Submit different information to create a change set."
        : undefined,
      changes,
    };
    stack.changeSets.set(changeSetName, cs);
    if (!live) stack.tags = tags;
    return ok(`${el('Id', cs.id)}${el('StackId', stack.id)}`);
  }

  private diff(before: Template, after: Template): FakeChangeSet['changes'] {
    const old = before.Resources ?? {};
    const next = after.Resources ?? {};
    const changes: FakeChangeSet['changes'] = [];
    for (const [id, r] of Object.entries(next)) {
      if (!old[id])
        changes.push({ action: 'Add', logicalId: id, type: r.Type });
      else if (JSON.stringify(old[id]) !== JSON.stringify(r))
        changes.push({ action: 'Modify', logicalId: id, type: r.Type });
    }
    for (const [id, r] of Object.entries(old)) {
      if (!next[id])
        changes.push({ action: 'Remove', logicalId: id, type: r.Type });
    }
    return changes;
  }

  /** Runs a change set: one event per step, rolling back on a failure. */
  private execute(
    stack: FakeCfnStack,
    cs: FakeChangeSet,
    disableRollback: boolean,
  ) {
    const creating = cs.type === 'CREATE';
    const verb = creating ? 'CREATE' : 'UPDATE';
    const previous = {
      template: stack.template,
      parameters: stack.parameters,
      resources: new Map(stack.resources),
    };
    stack.changeSets.clear();
    const steps: Step[] = [];
    const setStack = (status: string, reason?: string) => () => {
      stack.status = status;
      stack.reason = reason;
      this.event(
        stack,
        stack.name,
        stack.id,
        'AWS::CloudFormation::Stack',
        status,
        reason,
      );
    };
    const resourceEvent =
      (logicalId: string, type: string, status: string, reason?: string) =>
      () => {
        const physicalId =
          stack.resources.get(logicalId)?.physicalId ??
          `${stack.name}-${logicalId}-${randomUUID().slice(0, 8)}`;
        if (status.startsWith('DELETE_COMPLETE'))
          stack.resources.delete(logicalId);
        else stack.resources.set(logicalId, { type, physicalId, status });
        this.event(stack, logicalId, physicalId, type, status, reason);
      };

    // Like CloudFormation, the stack is in progress once ExecuteChangeSet
    // answers: the first step runs before the call returns.
    const begin = setStack(`${verb}_IN_PROGRESS`, 'User Initiated');
    steps.push(() => {
      stack.template = cs.template;
      stack.parameters = cs.parameters;
      if (!creating) stack.lastUpdatedTime = new Date();
      begin();
    });
    const done: FakeChangeSet['changes'] = [];
    let failed: { logicalId: string; reason: string } | undefined;
    for (const change of cs.changes.filter(c => c.action !== 'Remove')) {
      const rVerb = change.action === 'Add' ? 'CREATE' : 'UPDATE';
      steps.push(
        resourceEvent(change.logicalId, change.type, `${rVerb}_IN_PROGRESS`),
      );
      const failure = this.failures.find(f => f.resourceType === change.type);
      if (failure) {
        steps.push(
          resourceEvent(
            change.logicalId,
            change.type,
            `${rVerb}_FAILED`,
            failure.reason,
          ),
        );
        failed = { logicalId: change.logicalId, reason: failure.reason };
        break;
      }
      steps.push(
        resourceEvent(change.logicalId, change.type, `${rVerb}_COMPLETE`),
      );
      done.push(change);
    }

    if (!failed) {
      const removed = cs.changes.filter(c => c.action === 'Remove');
      if (removed.length > 0) {
        steps.push(setStack('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'));
        for (const r of removed) {
          steps.push(resourceEvent(r.logicalId, r.type, 'DELETE_IN_PROGRESS'));
          steps.push(resourceEvent(r.logicalId, r.type, 'DELETE_COMPLETE'));
        }
      }
      steps.push(() => {
        stack.outputs = this.outputs(stack);
      });
      steps.push(setStack(`${verb}_COMPLETE`));
    } else if (disableRollback) {
      steps.push(
        setStack(
          `${verb}_FAILED`,
          `The following resource(s) failed to ${verb.toLowerCase()}: [${
            failed.logicalId
          }].`,
        ),
      );
    } else {
      const reason = `The following resource(s) failed to ${verb.toLowerCase()}: [${
        failed.logicalId
      }]. Rollback requested by user.`;
      const prefix = creating ? 'ROLLBACK' : 'UPDATE_ROLLBACK';
      steps.push(setStack(`${prefix}_IN_PROGRESS`, reason));
      for (const c of [...done].reverse()) {
        if (c.action === 'Add') {
          steps.push(resourceEvent(c.logicalId, c.type, 'DELETE_IN_PROGRESS'));
          steps.push(resourceEvent(c.logicalId, c.type, 'DELETE_COMPLETE'));
        } else {
          steps.push(resourceEvent(c.logicalId, c.type, 'UPDATE_IN_PROGRESS'));
          steps.push(resourceEvent(c.logicalId, c.type, 'UPDATE_COMPLETE'));
        }
      }
      const failedType = cs.changes.find(
        c => c.logicalId === failed!.logicalId,
      )!.type;
      if (!previous.resources.has(failed.logicalId)) {
        steps.push(
          resourceEvent(failed.logicalId, failedType, 'DELETE_COMPLETE'),
        );
      }
      steps.push(() => {
        stack.template = previous.template;
        stack.parameters = previous.parameters;
        if (!creating) stack.resources = previous.resources;
      });
      steps.push(setStack(`${prefix}_COMPLETE`));
    }
    this.run(steps);
  }

  private delete(stack: FakeCfnStack) {
    if (stack.status === 'REVIEW_IN_PROGRESS') {
      stack.status = 'DELETE_COMPLETE';
      this.stacks.delete(stack.name);
      this.deleted.set(stack.id, stack);
      return;
    }
    const steps: Step[] = [];
    const setStack = (status: string) => () => {
      stack.status = status;
      this.event(
        stack,
        stack.name,
        stack.id,
        'AWS::CloudFormation::Stack',
        status,
      );
    };
    steps.push(setStack('DELETE_IN_PROGRESS'));
    for (const [logicalId, r] of [...stack.resources.entries()].reverse()) {
      steps.push(() =>
        this.event(
          stack,
          logicalId,
          r.physicalId,
          r.type,
          'DELETE_IN_PROGRESS',
        ),
      );
      steps.push(() => {
        stack.resources.delete(logicalId);
        this.event(stack, logicalId, r.physicalId, r.type, 'DELETE_COMPLETE');
      });
    }
    steps.push(setStack('DELETE_COMPLETE'));
    steps.push(() => {
      this.stacks.delete(stack.name);
      this.deleted.set(stack.id, stack);
    });
    this.run(steps);
  }

  private run(steps: Step[]) {
    const next = () => {
      const step = steps.shift();
      if (!step) return;
      step();
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        next();
      }, this.stepMs);
      this.timers.add(timer);
    };
    next();
  }

  private outputs(stack: FakeCfnStack): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, o] of Object.entries(stack.template.Outputs ?? {})) {
      const value = resolveValue(o.Value, stack);
      if (value !== undefined) out[key] = value;
    }
    return { ...out, ...this.reportedOutputs.get(stack.name) };
  }

  private event(
    stack: FakeCfnStack,
    logicalId: string,
    physicalId: string,
    resourceType: string,
    status: string,
    reason?: string,
  ) {
    // Strictly increasing timestamps keep the events' order unambiguous.
    this.lastEventTime = Math.max(Date.now(), this.lastEventTime + 1);
    this.eventCounter += 1;
    stack.events.push({
      eventId: `${logicalId}-${status}-${this.eventCounter}`,
      logicalId,
      physicalId,
      resourceType,
      status,
      reason,
      timestamp: new Date(this.lastEventTime),
    });
  }

  private eventXml(stack: FakeCfnStack, e: FakeStackEvent): string {
    return `${el('EventId', e.eventId)}${el('StackId', stack.id)}${el(
      'StackName',
      stack.name,
    )}${el('LogicalResourceId', e.logicalId)}${el(
      'PhysicalResourceId',
      e.physicalId,
    )}${el('ResourceType', e.resourceType)}${el(
      'Timestamp',
      e.timestamp.toISOString(),
    )}${el('ResourceStatus', e.status)}${el('ResourceStatusReason', e.reason)}`;
  }

  private stackXml(s: FakeCfnStack): string {
    const outputs = Object.entries(s.outputs).map(
      ([k, v]) => `${el('OutputKey', k)}${el('OutputValue', v)}`,
    );
    const parameters = Object.entries(s.parameters).map(
      ([k, v]) => `${el('ParameterKey', k)}${el('ParameterValue', v)}`,
    );
    const tags = Object.entries(s.tags).map(
      ([k, v]) => `${el('Key', k)}${el('Value', v)}`,
    );
    return `${el('StackName', s.name)}${el('StackId', s.id)}${el(
      'CreationTime',
      s.creationTime.toISOString(),
    )}${el('LastUpdatedTime', s.lastUpdatedTime?.toISOString())}${el(
      'StackStatus',
      s.status,
    )}${el('StackStatusReason', s.reason)}${el(
      'EnableTerminationProtection',
      false,
    )}${members('Outputs', outputs)}${members(
      'Parameters',
      parameters,
    )}${members('Tags', tags)}`;
  }

  private changeSetXml(stack: FakeCfnStack, cs: FakeChangeSet): string {
    const changes = cs.changes.map(
      c =>
        `<Type>Resource</Type><ResourceChange>${el('Action', c.action)}${el(
          'LogicalResourceId',
          c.logicalId,
        )}${el('ResourceType', c.type)}${
          c.action === 'Modify' ? el('Replacement', 'False') : ''
        }<Scope/><Details/></ResourceChange>`,
    );
    const parameters = Object.entries(cs.parameters).map(
      ([k, v]) => `${el('ParameterKey', k)}${el('ParameterValue', v)}`,
    );
    return `${el('ChangeSetName', cs.name)}${el('ChangeSetId', cs.id)}${el(
      'StackId',
      stack.id,
    )}${el('StackName', stack.name)}${el(
      'CreationTime',
      cs.creationTime.toISOString(),
    )}${el('Status', cs.status)}${el(
      'ExecutionStatus',
      cs.executionStatus,
    )}${el('StatusReason', cs.statusReason)}${members(
      'Changes',
      changes,
    )}${members('Parameters', parameters)}`;
  }
}
