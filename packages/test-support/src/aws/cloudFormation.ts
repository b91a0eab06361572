import { randomUUID } from 'node:crypto';
import {
  changeSetXml,
  eventXml,
  resourceXml,
  stackXml,
} from './cloudFormationXml';
import {
  LoopbackRequest,
  LoopbackResponse,
  LoopbackService,
  el,
  formOf,
  members,
  page,
  queryError,
  queryList,
  queryOk,
  unimplemented,
} from './protocol';
import {
  ChangeSet,
  LoopbackStack,
  StackSeed,
  StackTemplate,
  diffTemplates,
  resolveValue,
} from './stacks';
import {
  ActualProperties,
  DriftDetection,
  ResourceDrift,
  detectDrift,
  detectionStatusXml,
  resourceDriftXml,
} from './stackDrift';

const NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
const STACK_TYPE = 'AWS::CloudFormation::Stack';

/** One step of a simulated stack operation. */
type Step = () => void;

/**
 * CloudFormation over the query protocol (form-encoded requests, XML
 * answers), on one in-memory model of the account's stacks:
 *
 * - reads: DescribeStacks (paged by {@link stacksPageSize}),
 *   DescribeStackEvents (newest first, paged), ListStackResources (paged),
 *   DescribeStackResources, GetTemplate;
 * - deploys through change sets: a created stack waits in
 *   REVIEW_IN_PROGRESS, and executing its change set walks it through
 *   `<VERB>_IN_PROGRESS`, an IN_PROGRESS/COMPLETE event pair per resource,
 *   to `<VERB>_COMPLETE`, one step every {@link stepMs}, so that a deploy's
 *   monitor sees the events arrive; {@link failOn} makes a resource type
 *   fail, which rolls the stack back;
 * - DeleteStack refuses a stack with termination protection, deletes a
 *   stack that never left REVIEW_IN_PROGRESS at once, and otherwise leaves
 *   it DELETE_IN_PROGRESS until {@link completeDeletion} (or for
 *   {@link deletionCompletesAfterMs}). Deleted stacks leave the listings
 *   but are still found by stack ID, as DELETE_COMPLETE.
 * - CreateStack: a change set created and executed at once;
 * - drift: DetectStackDrift compares each resource's template properties
 *   with what {@link driftResource} says AWS really holds (the template's,
 *   unless set), DescribeStackDriftDetectionStatus answers in progress for
 *   {@link driftDetectionPolls} polls, DescribeStackResourceDrifts pages
 *   the last detection's results.
 *
 * Templates given by URL are read from the loopback S3 through `readUrl`.
 */
export class LoopbackCloudFormation implements LoopbackService {
  readonly signingName = 'cloudformation';
  /** Live stacks by name. */
  readonly stacks = new Map<string, LoopbackStack>();
  /** Deleted stacks by stack ID. */
  readonly deleted = new Map<string, LoopbackStack>();
  /** Page sizes, like AWS's. */
  stacksPageSize = 100;
  eventsPageSize = 100;
  resourcesPageSize = 100;
  resourceDriftsPageSize = 100;
  /** Status polls of a drift detection that answer DETECTION_IN_PROGRESS. */
  driftDetectionPolls = 1;
  /**
   * Ends every drift detection still in progress: its next status poll
   * answers complete (a test holds one in progress with a large
   * {@link driftDetectionPolls}, however slow the machine, then ends it).
   */
  finishDriftDetections(): void {
    for (const detection of this.detections.values()) detection.pollsLeft = 0;
  }
  /** Milliseconds between the steps of a change set's execution. */
  stepMs = 5;
  /**
   * When set, a deletion finishes on its own this long after DeleteStack.
   * Unset, deletions wait for {@link completeDeletion}.
   */
  deletionCompletesAfterMs?: number;
  /**
   * Outputs a stack reports on completion besides its template's own, by
   * stack name: stand-ins for outputs whose values only AWS would know.
   */
  readonly reportedOutputs = new Map<string, Record<string, string>>();
  private readonly failures: { resourceType: string; reason: string }[] = [];
  /** Actual properties of drifted resources, by stack name, then logical id. */
  private readonly actualProperties = new Map<
    string,
    Map<string, ActualProperties>
  >();
  private readonly detections = new Map<string, DriftDetection>();
  /** The last detection's results, by stack id. */
  private readonly lastDrifts = new Map<string, ResourceDrift[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private eventCounter = 0;
  private lastEventTime = 0;

  constructor(
    private readonly account: string,
    private readonly region: string,
    private readonly readUrl: (url: string) => Buffer | undefined,
  ) {}

  /** Puts a stack into the account, as if deployed earlier. */
  addStack(seed: StackSeed): LoopbackStack {
    const stack: LoopbackStack = {
      id: `arn:aws:cloudformation:${this.region}:${this.account}:stack/${
        seed.name
      }/${randomUUID()}`,
      creationTime: new Date(Date.UTC(2026, 0, 1)),
      terminationProtection: false,
      template: {},
      parameters: {},
      tags: {},
      outputs: {},
      resources: [],
      events: [],
      ...seed,
      changeSets: new Map(),
    };
    this.stacks.set(stack.name, stack);
    return stack;
  }

  /** Fails the creation or update of every resource of this type. */
  failOn(resourceType: string, reason: string) {
    this.failures.push({ resourceType, reason });
  }

  clearFailures() {
    this.failures.length = 0;
  }

  /**
   * Makes a resource drift, as a change made outside CloudFormation would:
   * drift detection then reads `actual` as its properties ('deleted': the
   * resource is gone). `undefined` puts it back in sync.
   */
  driftResource(
    stackName: string,
    logicalId: string,
    actual: ActualProperties | undefined,
  ) {
    const byId = this.actualProperties.get(stackName) ?? new Map();
    if (actual === undefined) byId.delete(logicalId);
    else byId.set(logicalId, actual);
    this.actualProperties.set(stackName, byId);
  }

  /**
   * Finishes the deletion of a stack that is DELETE_IN_PROGRESS: its
   * resources' and its own DELETE_COMPLETE events, and it leaves listings.
   */
  completeDeletion(name: string) {
    const stack = this.stacks.get(name);
    if (!stack) return;
    for (const r of [...stack.resources].reverse()) {
      this.event(stack, r.logicalId, 'DELETE_COMPLETE', {
        physicalId: r.physicalId,
        resourceType: r.type,
      });
    }
    stack.resources = [];
    this.setStatus(stack, 'DELETE_COMPLETE');
    this.stacks.delete(stack.name);
    this.deleted.set(stack.id, stack);
  }

  /** Stops stack operations in flight. */
  stop() {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  actionOf(request: LoopbackRequest): string {
    return formOf(request).get('Action') ?? '';
  }

  error(_action: string, code: string, message: string, status = 400) {
    return queryError(NS, code, message, status);
  }

  handle(request: LoopbackRequest, action: string): LoopbackResponse {
    const params = formOf(request);
    const fail = (code: string, message: string) =>
      queryError(NS, code, message);
    const ok = (result: string) => queryOk(NS, action, result);
    const stackName = params.get('StackName') ?? '';
    const stack = this.find(stackName);
    const missing = () =>
      fail('ValidationError', `Stack with id ${stackName} does not exist`);
    const token = params.get('NextToken');
    const next = (nextToken?: string) => el('NextToken', nextToken);

    switch (action) {
      case 'DescribeStacks': {
        if (stackName && !stack) return missing();
        const listed = page(
          stack ? [stack] : [...this.stacks.values()],
          token,
          this.stacksPageSize,
        );
        return ok(
          `${members('Stacks', listed.items.map(stackXml))}${next(
            listed.nextToken,
          )}`,
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
        if (!stack) {
          return fail('ValidationError', `Stack [${stackName}] does not exist`);
        }
        const newestFirst = [...stack.events].sort(
          (a, b) => b.timestamp.getTime() - a.timestamp.getTime(),
        );
        const listed = page(newestFirst, token, this.eventsPageSize);
        return ok(
          `${members(
            'StackEvents',
            listed.items.map(e => eventXml(stack, e)),
          )}${next(listed.nextToken)}`,
        );
      }
      case 'ListStackResources': {
        if (!stack) return missing();
        const listed = page(stack.resources, token, this.resourcesPageSize);
        return ok(
          `${members(
            'StackResourceSummaries',
            listed.items.map(r => resourceXml(stack, r, 'summary')),
          )}${next(listed.nextToken)}`,
        );
      }
      case 'DescribeStackResources':
        if (!stack) return missing();
        return ok(
          members(
            'StackResources',
            stack.resources.map(r => resourceXml(stack, r, 'detail')),
          ),
        );
      case 'CreateChangeSet':
        return this.createChangeSet(params, stack, fail, ok);
      case 'CreateStack':
        return this.createStack(params, stack, fail, ok);
      case 'DetectStackDrift': {
        if (!stack || this.deleted.has(stack.id)) return missing();
        if (/_IN_PROGRESS$/.test(stack.status)) {
          return fail(
            'ValidationError',
            `Drift detection cannot be performed on stack [${stack.name}] in ${stack.status} state`,
          );
        }
        const timestamp = new Date();
        const detection: DriftDetection = {
          id: randomUUID(),
          stackId: stack.id,
          timestamp,
          drifts: detectDrift(
            stack,
            this.actualProperties.get(stack.name) ?? new Map(),
            timestamp,
          ),
          pollsLeft: this.driftDetectionPolls,
        };
        this.detections.set(detection.id, detection);
        this.lastDrifts.set(stack.id, detection.drifts);
        return ok(el('StackDriftDetectionId', detection.id));
      }
      case 'DescribeStackDriftDetectionStatus': {
        const id = params.get('StackDriftDetectionId') ?? '';
        const detection = this.detections.get(id);
        if (!detection) {
          return fail(
            'ValidationError',
            `Drift detection with id ${id} does not exist`,
          );
        }
        const answer = ok(detectionStatusXml(detection));
        if (detection.pollsLeft > 0) detection.pollsLeft -= 1;
        return answer;
      }
      case 'DescribeStackResourceDrifts': {
        if (!stack) return missing();
        const filters = queryList(
          params,
          'StackResourceDriftStatusFilters',
        ).map(f => f['']);
        const drifts = (this.lastDrifts.get(stack.id) ?? []).filter(
          d => filters.length === 0 || filters.includes(d.status),
        );
        const size =
          Number(params.get('MaxResults')) || this.resourceDriftsPageSize;
        const listed = page(
          drifts,
          token,
          Math.min(size, this.resourceDriftsPageSize),
        );
        return ok(
          `${members(
            'StackResourceDrifts',
            listed.items.map(d => resourceDriftXml(stack.id, d)),
          )}${next(listed.nextToken)}`,
        );
      }
      case 'DescribeChangeSet': {
        const found = this.findChangeSet(stack, params.get('ChangeSetName'));
        if (!found) {
          return fail(
            'ChangeSetNotFound',
            `ChangeSet [${params.get('ChangeSetName')}] does not exist`,
          );
        }
        return ok(changeSetXml(found.stack, found.cs));
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
        if (stack?.terminationProtection) {
          return fail(
            'ValidationError',
            `Stack [${stack.name}] cannot be deleted while TerminationProtection is enabled`,
          );
        }
        if (stack && !stack.status.startsWith('DELETE')) this.delete(stack);
        return ok('');
      default:
        return unimplemented(
          fail(
            'InvalidAction',
            `The loopback CloudFormation does not implement ${
              action || '(no Action)'
            }`,
          ),
        );
    }
  }

  private find(nameOrId: string): LoopbackStack | undefined {
    if (!nameOrId) return undefined;
    return (
      this.stacks.get(nameOrId) ??
      [...this.stacks.values()].find(s => s.id === nameOrId) ??
      this.deleted.get(nameOrId)
    );
  }

  /** A change set by ARN, or by name within the given stack. */
  private findChangeSet(
    stack: LoopbackStack | undefined,
    nameOrId: string | null,
  ): { stack: LoopbackStack; cs: ChangeSet } | undefined {
    for (const s of stack ? [stack] : this.stacks.values()) {
      for (const cs of s.changeSets.values()) {
        if (cs.id === nameOrId || cs.name === nameOrId) return { stack: s, cs };
      }
    }
    return undefined;
  }

  /** CreateStack: a CREATE change set, executed at once. */
  private createStack(
    params: URLSearchParams,
    existing: LoopbackStack | undefined,
    fail: (code: string, message: string) => LoopbackResponse,
    ok: (result: string) => LoopbackResponse,
  ): LoopbackResponse {
    const changeSetName = `create-stack-${randomUUID()}`;
    const asChangeSet = new URLSearchParams(params);
    asChangeSet.set('ChangeSetName', changeSetName);
    asChangeSet.set('ChangeSetType', 'CREATE');
    const created = this.createChangeSet(asChangeSet, existing, fail, ok);
    if (created.status !== 200) return created;
    const stack = this.stacks.get(params.get('StackName') ?? '')!;
    stack.terminationProtection =
      params.get('EnableTerminationProtection') === 'true';
    this.execute(
      stack,
      stack.changeSets.get(changeSetName)!,
      params.get('DisableRollback') === 'true',
    );
    return ok(el('StackId', stack.id));
  }

  private createChangeSet(
    params: URLSearchParams,
    existing: LoopbackStack | undefined,
    fail: (code: string, message: string) => LoopbackResponse,
    ok: (result: string) => LoopbackResponse,
  ): LoopbackResponse {
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
    let template: StackTemplate;
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
    let stack = live;
    if (!stack) {
      stack = this.addStack({
        name,
        status: 'REVIEW_IN_PROGRESS',
        creationTime: new Date(),
        tags,
      });
      this.event(stack, name, 'REVIEW_IN_PROGRESS', {
        physicalId: stack.id,
        reason: 'User Initiated',
      });
    }
    const changes = diffTemplates(stack.template, template);
    const unchanged =
      changes.length === 0 &&
      JSON.stringify(stack.parameters) === JSON.stringify(parameters) &&
      JSON.stringify(stack.template) === JSON.stringify(template);
    const cs: ChangeSet = {
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
    return ok(`${el('Id', cs.id)}${el('StackId', stack.id)}`);
  }

  /** Runs a change set: one event per step, rolling back on a failure. */
  private execute(
    stack: LoopbackStack,
    cs: ChangeSet,
    disableRollback: boolean,
  ) {
    const creating = cs.type === 'CREATE';
    const verb = creating ? 'CREATE' : 'UPDATE';
    const previous = {
      template: stack.template,
      parameters: stack.parameters,
      resources: stack.resources.map(r => ({ ...r })),
    };
    stack.changeSets.clear();
    const steps: Step[] = [];
    const setStack = (status: string, reason?: string) => () =>
      this.setStatus(stack, status, reason);
    const resourceStep =
      (logicalId: string, type: string, status: string, reason?: string) =>
      () => {
        const index = stack.resources.findIndex(r => r.logicalId === logicalId);
        const physicalId =
          stack.resources[index]?.physicalId ??
          `${stack.name}-${logicalId}-${randomUUID().slice(0, 8)}`;
        if (status === 'DELETE_COMPLETE') {
          if (index >= 0) stack.resources.splice(index, 1);
        } else if (index >= 0) {
          stack.resources[index] = { logicalId, type, physicalId, status };
        } else {
          stack.resources.push({ logicalId, type, physicalId, status });
        }
        this.event(stack, logicalId, status, {
          physicalId,
          resourceType: type,
          reason,
        });
      };

    // Like CloudFormation, the stack is in progress once ExecuteChangeSet
    // answers: the first step runs before the call returns.
    steps.push(() => {
      stack.template = cs.template;
      stack.parameters = cs.parameters;
      if (!creating) stack.lastUpdatedTime = new Date();
      this.setStatus(stack, `${verb}_IN_PROGRESS`, 'User Initiated');
    });
    const done: ChangeSet['changes'] = [];
    let failed: { logicalId: string; type: string } | undefined;
    for (const change of cs.changes.filter(c => c.action !== 'Remove')) {
      const rVerb = change.action === 'Add' ? 'CREATE' : 'UPDATE';
      const { logicalId, type } = change;
      steps.push(resourceStep(logicalId, type, `${rVerb}_IN_PROGRESS`));
      const failure = this.failures.find(f => f.resourceType === type);
      if (failure) {
        steps.push(
          resourceStep(logicalId, type, `${rVerb}_FAILED`, failure.reason),
        );
        failed = { logicalId, type };
        break;
      }
      steps.push(resourceStep(logicalId, type, `${rVerb}_COMPLETE`));
      done.push(change);
    }

    if (!failed) {
      const removed = cs.changes.filter(c => c.action === 'Remove');
      if (removed.length > 0) {
        steps.push(setStack('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'));
        for (const r of removed) {
          steps.push(resourceStep(r.logicalId, r.type, 'DELETE_IN_PROGRESS'));
          steps.push(resourceStep(r.logicalId, r.type, 'DELETE_COMPLETE'));
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
          steps.push(resourceStep(c.logicalId, c.type, 'DELETE_IN_PROGRESS'));
          steps.push(resourceStep(c.logicalId, c.type, 'DELETE_COMPLETE'));
        } else {
          steps.push(resourceStep(c.logicalId, c.type, 'UPDATE_IN_PROGRESS'));
          steps.push(resourceStep(c.logicalId, c.type, 'UPDATE_COMPLETE'));
        }
      }
      const { logicalId, type } = failed;
      if (!previous.resources.some(r => r.logicalId === logicalId)) {
        steps.push(resourceStep(logicalId, type, 'DELETE_COMPLETE'));
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

  private delete(stack: LoopbackStack) {
    if (stack.status === 'REVIEW_IN_PROGRESS') {
      stack.status = 'DELETE_COMPLETE';
      this.stacks.delete(stack.name);
      this.deleted.set(stack.id, stack);
      return;
    }
    this.setStatus(stack, 'DELETE_IN_PROGRESS', 'User Initiated');
    if (this.deletionCompletesAfterMs !== undefined) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.completeDeletion(stack.name);
      }, this.deletionCompletesAfterMs);
      timer.unref();
      this.timers.add(timer);
    }
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

  private outputs(stack: LoopbackStack): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, o] of Object.entries(stack.template.Outputs ?? {})) {
      const value = resolveValue(o.Value, stack);
      if (value !== undefined) out[key] = value;
    }
    return { ...out, ...this.reportedOutputs.get(stack.name) };
  }

  private setStatus(stack: LoopbackStack, status: string, reason?: string) {
    stack.status = status;
    stack.reason = reason;
    this.event(stack, stack.name, status, { physicalId: stack.id, reason });
  }

  private event(
    stack: LoopbackStack,
    logicalId: string,
    status: string,
    more: { physicalId?: string; resourceType?: string; reason?: string },
  ) {
    // Strictly increasing timestamps keep the events' order unambiguous.
    this.lastEventTime = Math.max(Date.now(), this.lastEventTime + 1);
    this.eventCounter += 1;
    stack.events.push({
      eventId: `${logicalId}-${status}-${this.eventCounter}`,
      logicalId,
      status,
      resourceType: more.resourceType ?? STACK_TYPE,
      physicalId: more.physicalId,
      reason: more.reason,
      timestamp: new Date(this.lastEventTime),
    });
  }
}
