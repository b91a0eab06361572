import { el, members } from './protocol';
import type {
  ChangeSet,
  LoopbackStack,
  StackEvent,
  StackResource,
} from './stacks';

const STACK_TYPE = 'AWS::CloudFormation::Stack';

/** A stack as DescribeStacks lists it. */
export function stackXml(s: LoopbackStack): string {
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
    s.terminationProtection,
  )}${members('Outputs', outputs)}${members('Parameters', parameters)}${members(
    'Tags',
    tags,
  )}`;
}

/** A stack event as DescribeStackEvents lists it. */
export function eventXml(stack: LoopbackStack, e: StackEvent): string {
  return `${el('EventId', e.eventId)}${el('StackId', stack.id)}${el(
    'StackName',
    stack.name,
  )}${el('LogicalResourceId', e.logicalId)}${el(
    'PhysicalResourceId',
    e.physicalId,
  )}${el('ResourceType', e.resourceType ?? STACK_TYPE)}${el(
    'Timestamp',
    e.timestamp.toISOString(),
  )}${el('ResourceStatus', e.status)}${el('ResourceStatusReason', e.reason)}`;
}

/** A resource as ListStackResources (summary) or DescribeStackResources lists it. */
export function resourceXml(
  stack: LoopbackStack,
  r: StackResource,
  form: 'summary' | 'detail',
): string {
  return `${el('LogicalResourceId', r.logicalId)}${el(
    'PhysicalResourceId',
    r.physicalId,
  )}${el('ResourceType', r.type)}${el(
    form === 'summary' ? 'LastUpdatedTimestamp' : 'Timestamp',
    (stack.lastUpdatedTime ?? stack.creationTime).toISOString(),
  )}${el('ResourceStatus', r.status ?? 'CREATE_COMPLETE')}${el(
    'ResourceStatusReason',
    r.reason,
  )}${
    form === 'detail'
      ? `${el('StackName', stack.name)}${el('StackId', stack.id)}`
      : ''
  }`;
}

/** A change set as DescribeChangeSet reports it. */
export function changeSetXml(stack: LoopbackStack, cs: ChangeSet): string {
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
  )}${el('Status', cs.status)}${el('ExecutionStatus', cs.executionStatus)}${el(
    'StatusReason',
    cs.statusReason,
  )}${members('Changes', changes)}${members('Parameters', parameters)}`;
}
