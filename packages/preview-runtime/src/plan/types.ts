/**
 * What a preview runs, worked out from the synthesized template and the
 * manifest before the runner starts; sent to it as plain JSON.
 */

/** A value that only the runner knows: where its engines listen. */
export type LocalReference =
  | { readonly queue: string; readonly attribute: 'url' | 'arn' | 'name' }
  | { readonly table: string; readonly attribute: 'name' | 'arn' };

/** An environment variable's value: parts joined, references resolved by the runner. */
export type EnvValue = readonly (string | LocalReference)[];

export interface FunctionPlan {
  /** The manifest's name of the function. */
  readonly name: string;
  readonly logicalId: string;
  /** The handler module file, inside the checkout (or the preview's own directory for inline code). */
  readonly file: string;
  readonly exportName: string;
  /** The code directory (`LAMBDA_TASK_ROOT`). */
  readonly codeDir: string;
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  readonly environment: Readonly<Record<string, EnvValue>>;
  /** The queue (local name) its DeadLetterConfig sends failed asynchronous invocations to. */
  readonly deadLetterQueue?: string;
}

export interface TablePlan {
  readonly name: string;
  readonly logicalId: string;
  readonly keySchema: readonly { AttributeName: string; KeyType: string }[];
  readonly attributeDefinitions: readonly {
    AttributeName: string;
    AttributeType: string;
  }[];
  readonly globalSecondaryIndexes?: readonly unknown[];
  readonly localSecondaryIndexes?: readonly unknown[];
  readonly timeToLiveAttribute?: string;
}

export interface QueuePlan {
  readonly name: string;
  readonly logicalId: string;
  readonly visibilityTimeout: number;
  readonly delaySeconds: number;
  readonly messageRetentionPeriod: number;
  readonly redrive?: {
    readonly deadLetterQueue: string;
    readonly maxReceiveCount: number;
  };
}

/** An SQS event source mapping: batches of `queue` go to `function`. */
export interface MappingPlan {
  readonly queue: string;
  readonly function: string;
  readonly batchSize: number;
  /** `FunctionResponseTypes: [ReportBatchItemFailures]`. */
  readonly reportBatchItemFailures: boolean;
}

export interface PreviewPlan {
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
  readonly functions: readonly FunctionPlan[];
  readonly tables: readonly TablePlan[];
  readonly queues: readonly QueuePlan[];
  readonly mappings: readonly MappingPlan[];
  /** What the template has that a preview leaves out, said once in the logs. */
  readonly notes: readonly string[];
}
