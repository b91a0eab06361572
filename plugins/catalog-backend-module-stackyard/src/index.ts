/**
 * A catalog backend module that adds the `stackyard-local` location type:
 * catalog files of repositories published by `stackyard:publish:local`,
 * read only inside the local publish directory and checked as untrusted.
 *
 * @packageDocumentation
 */
export { catalogModuleStackyard as default } from './module';
export {
  LocalRepoProcessor,
  LOCAL_REPO_LOCATION_TYPE,
} from './LocalRepoProcessor';
export {
  KINDS_NEVER_FROM_LOCAL_REPOS,
  localRepoEntityRefusal,
} from './localRepoEntityRules';
