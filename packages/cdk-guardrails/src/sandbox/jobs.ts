import { join } from 'path';
import { ANNOTATION_RULE_ID } from '../synth/synthApp';
import { synthService } from '../synth/synthService';

/** Runs one job in the sandbox over its directory; returns plain data. */
export type SandboxJobHandler = (
  dir: string,
  job: Record<string, unknown>,
) => Promise<unknown>;

/** Input of the `synth` job. */
export interface SynthJobInput {
  readonly prefix: string;
  readonly stage: string;
  readonly env?: { readonly account?: string; readonly region?: string };
  /** Keep the cloud assembly in the sandbox's directory, as {@link ASSEMBLY_DIR_NAME}. */
  readonly keepAssembly?: boolean;
}

/** What the `synth` job answers: data only. Findings are the caller's to compute. */
export interface SynthJobOutput {
  readonly templates: Record<string, unknown>;
  /** Stack name → construct path. */
  readonly stackPaths: Record<string, string>;
  /** Error annotations of constructs, as CDK-ANNOTATION findings. */
  readonly annotations: unknown[];
  readonly durationMs: number;
}

/** The sandbox's directory name for a kept cloud assembly, beside the job's copy. */
export const ASSEMBLY_DIR_NAME = 'cdk.out';

async function synthJob(
  dir: string,
  job: Record<string, unknown>,
): Promise<SynthJobOutput> {
  const input = job as unknown as SynthJobInput;
  const assemblyDir = input.keepAssembly
    ? join(dir, '..', ASSEMBLY_DIR_NAME)
    : undefined;
  const result = await synthService({
    appDir: dir,
    prefix: input.prefix,
    stage: input.stage,
    env: input.env,
    assemblyDir,
  });
  return {
    templates: { ...result.templates },
    stackPaths: Object.fromEntries(
      result.stacks.map(s => [s.stackName, s.path]),
    ),
    annotations: result.findings.filter(f => f.ruleId === ANNOTATION_RULE_ID),
    durationMs: result.durationMs,
  };
}

/** The jobs a sandbox can run, by kind. */
export const SANDBOX_JOBS: Readonly<Record<string, SandboxJobHandler>> = {
  synth: synthJob,
};

/** A service whose synthesis loads and exercises every construct, to warm a spare sandbox. */
export const WARM_UP_MANIFEST = `
service: { name: warm, project: warm, costCenter: cc, owner: group:default/warm }
functions:
  api:
    handler: index.handler
    inline: "exports.handler = async () => ({})"
    timeout: 10
    memorySize: 256
    reservedConcurrency: 1
queues:
  jobs: { consumer: api, senders: [api] }
tables:
  items: { partitionKey: { name: pk, type: string }, writers: [api] }
websocket:
  routes: { $default: api }
`;
