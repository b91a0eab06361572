import { INITIATOR } from './options';
import type { RunResult } from './runTask';
import type { PermissionRequests } from './standIns';

/** Checks that a run did what the portal's task does. */
export function checkRun(
  result: RunResult,
  permissionRequests: PermissionRequests,
) {
  const text = result.log.join('\n');
  const entityRef = `component:default/${result.serviceName}`;
  const problems: string[] = [];
  if (!/Safety policy: 0 finding\(s\)/.test(text)) {
    problems.push('no "Safety policy: 0 finding(s)" in the log');
  }
  const summaries = text.match(/Synthesized sample-dev: \d+ resources.*/g);
  if (summaries?.length !== 2) {
    problems.push('no synthesis summaries of sample-dev (synth, deploy)');
  }
  const sandboxed =
    text.match(/Synthesizing in a sandbox: the manifest's extension/g)
      ?.length ?? 0;
  const topics = summaries?.filter(s => s.includes('AWS::SNS::Topic')).length;
  if (result.variant === 'extension' && (sandboxed !== 2 || topics !== 2)) {
    problems.push(
      `synth and deploy should both run the extension in a sandbox (sandboxed ${sandboxed}, with its topic ${topics})`,
    );
  }
  if (result.variant === 'manifest' && (sandboxed !== 0 || topics !== 0)) {
    problems.push('the manifest variant ran an extension');
  }
  const deploy = result.outputs.deploy ?? {};
  if (deploy.deployedToAws !== false || !deploy.environmentId) {
    problems.push(`unexpected deploy outputs ${JSON.stringify(deploy)}`);
  }
  if (result.outputs['register-local']?.entityRef !== entityRef) {
    problems.push(`register-local did not output ${entityRef}`);
  }
  if (!result.outputs['publish-local']?.remoteUrl) {
    problems.push('publish-local produced no remoteUrl');
  }
  if (
    !permissionRequests.some(
      r =>
        r.permission === 'stackyard.environment.deploy' &&
        r.resourceRef === entityRef &&
        r.user === INITIATOR,
    )
  ) {
    problems.push(
      `no deploy permission asked for ${entityRef} as ${INITIATOR}`,
    );
  }
  if (problems.length > 0) {
    throw new Error(
      `the ${result.variant} task did not complete as expected: ${problems.join(
        '; ',
      )}`,
    );
  }
}
