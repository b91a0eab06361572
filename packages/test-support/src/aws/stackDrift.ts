import { el, members } from './protocol';
import type { LoopbackStack } from './stacks';

/** One property that differs between a resource's template and AWS. */
export interface PropertyDifference {
  /** JSON pointer into the properties, e.g. `/Timeout` or `/Tags/0/Value`. */
  readonly path: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
  readonly type: 'ADD' | 'REMOVE' | 'NOT_EQUAL';
}

/** A resource's drift, as DescribeStackResourceDrifts reports it. */
export interface ResourceDrift {
  readonly logicalId: string;
  readonly physicalId?: string;
  readonly type: string;
  readonly status: 'IN_SYNC' | 'MODIFIED' | 'DELETED';
  readonly expected: Record<string, unknown>;
  readonly actual?: Record<string, unknown>;
  readonly differences: PropertyDifference[];
  readonly timestamp: Date;
}

/** A drift detection of a stack, as DescribeStackDriftDetectionStatus reports it. */
export interface DriftDetection {
  readonly id: string;
  readonly stackId: string;
  readonly timestamp: Date;
  readonly drifts: ResourceDrift[];
  /** Status polls still to answer DETECTION_IN_PROGRESS. */
  pollsLeft: number;
}

/** What a resource really looks like in AWS, when it differs from its template. */
export type ActualProperties = Record<string, unknown> | 'deleted';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const escapePointer = (key: string) =>
  key.replace(/~/g, '~0').replace(/\//g, '~1');

/** The differences between two property trees, as JSON-pointer paths. */
export function propertyDifferences(
  expected: unknown,
  actual: unknown,
  path = '',
): PropertyDifference[] {
  const bothObjects = isObject(expected) && isObject(actual);
  const bothArrays = Array.isArray(expected) && Array.isArray(actual);
  if (!bothObjects && !bothArrays) {
    return JSON.stringify(expected) === JSON.stringify(actual)
      ? []
      : [{ path: path || '/', expected, actual, type: 'NOT_EQUAL' }];
  }
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(e), ...Object.keys(a)])];
  return keys.flatMap(key => {
    const sub = `${path}/${escapePointer(key)}`;
    if (!(key in a)) return [{ path: sub, expected: e[key], type: 'REMOVE' }];
    if (!(key in e)) return [{ path: sub, actual: a[key], type: 'ADD' }];
    return propertyDifferences(e[key], a[key], sub);
  }) as PropertyDifference[];
}

/**
 * Compares every resource of a stack with its template: a resource whose
 * actual properties were set differently (see `driftResource`) is MODIFIED,
 * one deleted out of band is DELETED, the others IN_SYNC.
 */
export function detectDrift(
  stack: LoopbackStack,
  actualProperties: ReadonlyMap<string, ActualProperties>,
  timestamp: Date,
): ResourceDrift[] {
  return stack.resources.map(r => {
    const declared = stack.template.Resources?.[r.logicalId]?.Properties;
    const expected = isObject(declared) ? declared : {};
    const actual = actualProperties.get(r.logicalId) ?? expected;
    const base = {
      logicalId: r.logicalId,
      physicalId: r.physicalId,
      type: r.type,
      expected,
      timestamp,
    };
    if (actual === 'deleted') {
      return { ...base, status: 'DELETED', differences: [] };
    }
    const differences = propertyDifferences(expected, actual);
    return {
      ...base,
      actual,
      differences,
      status: differences.length > 0 ? 'MODIFIED' : 'IN_SYNC',
    };
  });
}

const json = (value: unknown) =>
  value === undefined ? undefined : JSON.stringify(value);

/** A resource drift as DescribeStackResourceDrifts lists it. */
export function resourceDriftXml(stackId: string, d: ResourceDrift): string {
  const differences = d.differences.map(
    p =>
      `${el('PropertyPath', p.path)}${el(
        'ExpectedValue',
        json(p.expected),
      )}${el('ActualValue', json(p.actual))}${el('DifferenceType', p.type)}`,
  );
  return `${el('StackId', stackId)}${el('LogicalResourceId', d.logicalId)}${el(
    'PhysicalResourceId',
    d.physicalId,
  )}${el('ResourceType', d.type)}${el(
    'ExpectedProperties',
    json(d.expected),
  )}${el('ActualProperties', json(d.actual))}${members(
    'PropertyDifferences',
    differences,
  )}${el('StackResourceDriftStatus', d.status)}${el(
    'Timestamp',
    d.timestamp.toISOString(),
  )}`;
}

/** A detection as DescribeStackDriftDetectionStatus reports it. */
export function detectionStatusXml(d: DriftDetection): string {
  const base = `${el('StackId', d.stackId)}${el(
    'StackDriftDetectionId',
    d.id,
  )}${el('Timestamp', d.timestamp.toISOString())}`;
  if (d.pollsLeft > 0) {
    return `${base}${el('DetectionStatus', 'DETECTION_IN_PROGRESS')}`;
  }
  const drifted = d.drifts.filter(r => r.status !== 'IN_SYNC').length;
  return `${base}${el('DetectionStatus', 'DETECTION_COMPLETE')}${el(
    'StackDriftStatus',
    drifted > 0 ? 'DRIFTED' : 'IN_SYNC',
  )}${el('DriftedStackResourceCount', drifted)}`;
}
