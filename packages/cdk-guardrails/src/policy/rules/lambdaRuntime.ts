import { show } from '../intrinsics';
import { PolicyRule, compliant, nonCompliant, notApplicable } from '../types';

/** Oldest supported Node.js major version. */
const MIN_NODE_MAJOR = 22;
/** Oldest supported Python 3 minor version. */
const MIN_PYTHON3_MINOR = 10;

const DEPRECATED = new Set([
  'java8',
  'dotnetcore1.0',
  'dotnetcore2.0',
  'dotnetcore2.1',
  'dotnetcore3.1',
  'dotnet5.0',
  'dotnet6',
  'dotnet7',
  'go1.x',
  'ruby2.5',
  'ruby2.7',
  'ruby3.2',
  'provided',
  'python2.7',
]);

/** Why `runtime` is deprecated, or undefined when it is supported. */
export function deprecatedRuntimeReason(runtime: string): string | undefined {
  if (runtime === 'nodejs' || runtime.startsWith('nodejs4.3')) {
    return `use nodejs${MIN_NODE_MAJOR}.x or newer`;
  }
  const node = /^nodejs(\d+)\.(x|\d+)$/.exec(runtime);
  if (node) {
    return Number(node[1]) < MIN_NODE_MAJOR
      ? `use nodejs${MIN_NODE_MAJOR}.x or newer`
      : undefined;
  }
  const python = /^python3\.(\d+)$/.exec(runtime);
  if (python) {
    return Number(python[1]) < MIN_PYTHON3_MINOR
      ? `use python3.${MIN_PYTHON3_MINOR} or newer`
      : undefined;
  }
  return DEPRECATED.has(runtime) ? 'use a supported runtime' : undefined;
}

/** Lambda functions must not run on deprecated runtimes. */
export const lambdaRuntime: PolicyRule = {
  id: 'SY-LAMBDA-RUNTIME',
  severity: 'error',
  description: `Lambda functions use a supported runtime (Node.js ${MIN_NODE_MAJOR} or newer)`,
  evaluate(resource) {
    if (resource.type !== 'AWS::Lambda::Function') {
      return notApplicable;
    }
    const runtime = resource.properties.Runtime;
    if (runtime === undefined && resource.properties.PackageType === 'Image') {
      return notApplicable;
    }
    if (typeof runtime !== 'string') {
      return nonCompliant(`Runtime ${show(runtime)} is not a literal runtime name`);
    }
    const reason = deprecatedRuntimeReason(runtime);
    return reason
      ? nonCompliant(`Runtime ${show(runtime)} is deprecated: ${reason}`)
      : compliant;
  },
};
