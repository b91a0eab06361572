import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis } from '@backstage/frontend-test-utils';
import type { PermissionApi } from '@backstage/plugin-permission-react';

type Options = NonNullable<Parameters<typeof mockApis.permission>[0]>;
type Decision = Exclude<NonNullable<Options['authorize']>, Function>;

const ALLOW = 'ALLOW' as Decision;
const DENY = 'DENY' as Decision;

/** A permission API that allows, or denies, the permission named `only` (or every permission). */
export function permissionApi(allowed: boolean, only?: string): PermissionApi {
  return mockApis.permission({
    authorize: request =>
      (only === undefined || request.permission.name === only) && allowed
        ? ALLOW
        : DENY,
  });
}

/**
 * The button named `name` once its permission check let it be used: buttons
 * of owners-only changes are blocked (aria-disabled) while the decision
 * loads.
 */
export async function findPermittedButton(
  name: string | RegExp,
  container: Pick<typeof screen, 'findByRole' | 'getByRole'> = screen,
): Promise<HTMLElement> {
  await container.findByRole('button', { name });
  await waitFor(() =>
    expect(container.getByRole('button', { name })).not.toHaveAttribute(
      'aria-disabled',
    ),
  );
  return container.getByRole('button', { name });
}

/**
 * Expects the button named `name` to be blocked for someone who is not one
 * of the entity's owners: aria-disabled, described (and, on hover, with a
 * tooltip) as "Only the owners of <entityRef> can <ownersCan>".
 */
export async function expectOwnersOnly(
  name: string | RegExp,
  entityRef: string,
  ownersCan: string,
  container: Pick<typeof screen, 'findByRole'> = screen,
): Promise<HTMLElement> {
  const reason = `Only the owners of ${entityRef} can ${ownersCan}`;
  const button = await container.findByRole('button', {
    name,
    description: reason,
  });
  expect(button).toHaveAttribute('aria-disabled', 'true');
  await userEvent.hover(button);
  expect(await screen.findByRole('tooltip')).toHaveTextContent(reason);
  await userEvent.unhover(button);
  return button;
}
