/**
 * The signals channel carrying live updates of one entity's environments.
 * Subscribe with the frontend's SignalApi; each message is a
 * {@link StackyardSignal}.
 */
export function stackyardEntityChannel(entityRef: string): string {
  return `stackyard:entity:${entityRef.toLocaleLowerCase('en-US')}`;
}

/** A live update: refetch the environment (and operation) it names. */
export type StackyardSignal = {
  kind: 'environment' | 'operation';
  environmentId: string;
  operationId?: string;
  /** The environment's status, or the operation's state. */
  status: string;
};

/**
 * The signals channel saying that a local preview changed: new log lines,
 * its state, or its queue and table counts (throttled to about one message
 * a second). Each message is a {@link StackyardPreviewSignal}; refetch the
 * preview's logs through the permission-checked API.
 */
export function stackyardPreviewChannel(environmentId: string): string {
  return `stackyard:preview:${environmentId.toLocaleLowerCase('en-US')}`;
}

/** A local preview changed: refetch `GET /environments/{id}/logs`. */
export type StackyardPreviewSignal = {
  kind: 'preview';
  environmentId: string;
};
