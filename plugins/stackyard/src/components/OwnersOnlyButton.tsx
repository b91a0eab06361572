import type { ButtonProps } from '@material-ui/core/Button';
import { usePermission } from '@backstage/plugin-permission-react';
import type { stackyardEnvironmentExtendPermission } from '@stackyard/plugin-stackyard-common';
import { BlockableButton } from './BlockableButton';

/** Why an owners-only button is blocked, or undefined when it is not. */
function ownersOnlyReason(
  entityRef: string,
  ownersCan: string,
  permission: { loading: boolean; allowed: boolean },
): string | undefined {
  if (permission.loading) return 'Checking your permissions…';
  if (!permission.allowed)
    return `Only the owners of ${entityRef} can ${ownersCan}`;
  return undefined;
}

/**
 * A button for a change only the entity's owners may make (the backend
 * refuses everyone else with 403). For anyone else it stays visible but
 * blocked, saying who can in a tooltip and to screen readers.
 */
export function OwnersOnlyButton(
  props: ButtonProps & {
    /** A Stackyard permission on the entity (extend, socket manage, ...). */
    permission: typeof stackyardEnvironmentExtendPermission;
    entityRef: string;
    /** What the owners can do, completing "Only the owners of X can …". */
    ownersCan: string;
  },
) {
  const { permission, entityRef, ownersCan, ...button } = props;
  const reason = ownersOnlyReason(
    entityRef,
    ownersCan,
    usePermission({ permission, resourceRef: entityRef }),
  );
  return <BlockableButton {...button} reason={reason} />;
}
