/**
 * The service manifest (`stackyard.yaml`) alone: its schema and loader,
 * without the CDK constructs. Tools that only read manifests (such as the
 * `stackyard-ws` emulator CLI) import `@stackyard/cdk-guardrails/manifest`
 * so they do not load aws-cdk-lib.
 *
 * @packageDocumentation
 */
export * from './schema';
export * from './ManifestError';
export { MANIFEST_FILE, loadManifest, parseManifest } from './loadManifest';
