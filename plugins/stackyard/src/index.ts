/**
 * Stackyard's Infra tab: stacks, alarms, events, preview sockets and guarded
 * teardown on entity pages; and the platform page: every environment across
 * entities, and orphan stacks. The default export is the plugin for the new
 * frontend system; the named exports serve apps on the legacy system.
 *
 * @packageDocumentation
 */
import { stackyardFrontendPlugin } from './plugin';

export default stackyardFrontendPlugin;
export {
  EntityStackyardCard,
  EntityStackyardContent,
  StackyardPlatformPage,
  StackyardStagePickerFieldExtension,
  StackyardTargetPickerFieldExtension,
  StackyardTemplatesPage,
  stackyardPlatformRouteRef,
  stackyardPlugin,
  stackyardRouteRef,
  stackyardTemplatesRouteRef,
} from './legacy';
export { stackyardApiRef } from './api/StackyardApi';
export type { StagePickerOptions } from './scaffolder/targetChoice';
export type { StackyardApi } from './api/StackyardApi';
export {
  STACKYARD_PREFIX_ANNOTATION,
  STACKYARD_TEMPLATE_ANNOTATION,
  STACKYARD_TEMPLATE_VERSION_ANNOTATION,
  isStackyardAvailable,
} from './annotations';
