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
