import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The Infra tab's path under an entity page (both frontend systems). */
export const INFRA_TAB_PATH = 'infra';

/** The platform page's path in the app (both frontend systems). */
export const PLATFORM_PAGE_PATH = '/stackyard';

/** The platform page's route (new frontend system). */
export const platformPageRouteRef = createRouteRef();
