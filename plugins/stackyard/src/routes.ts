import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The Infra tab's path under an entity page (both frontend systems). */
export const INFRA_TAB_PATH = 'infra';

/** The platform page's path in the app (both frontend systems). */
export const PLATFORM_PAGE_PATH = '/stackyard';

/** The platform page's route (new frontend system). */
export const platformPageRouteRef = createRouteRef();

/**
 * The Templates page's path in the app (both frontend systems; the Infra
 * tab's template badge links to it).
 */
export const TEMPLATES_PAGE_PATH = '/stackyard/templates';

/** The Templates page's route (new frontend system). */
export const templatesPageRouteRef = createRouteRef();

/** The Templates page, marking the entity's upgrade. */
export function templatesPageLink(entityRef?: string): string {
  return entityRef
    ? `${TEMPLATES_PAGE_PATH}?entity=${encodeURIComponent(entityRef)}`
    : TEMPLATES_PAGE_PATH;
}
