// Packing this monorepo's packages into the repositories publish:local
// creates, so that they install without a registry that has them.
export { ensurePacks, defaultPackCacheDir } from './packCache';
export type { PackSet } from './packCache';
export type { PackedPackage } from './buildPacks';
export { packForTemplates } from './packForTemplates';
export { VENDOR_DIR, vendorPacks } from './vendorPacks';
export { vendorWorkspacePackages } from './vendorWorkspacePackages';
export type { VendorResult } from './vendorWorkspacePackages';
export { childEnv } from './run';
