/**
 * Safe-by-construction AWS CDK constructs, a declarative service manifest, a
 * safety policy that fails synthesis, and an in-process synth API.
 *
 * @packageDocumentation
 */
export * from './stages/stageConfig';
export * from './constructs/ServiceStack';
export * from './constructs/SafeFunction';
export * from './constructs/SafeQueue';
export * from './constructs/SafeTable';
export * from './constructs/WebSocketApi';
export * from './constructs/ServiceAlarms';
export { stageConfigOf } from './constructs/stageOf';
export * from './policy/types';
export * from './policy/acknowledge';
export {
  ACKNOWLEDGEMENTS_METADATA_KEY,
  MIN_REASON_LENGTH,
} from './policy/acknowledgements';
export type { AcknowledgementEntry } from './policy/acknowledgements';
export * from './policy/evaluateTemplate';
export * from './policy/templateStage';
export * from './policy/SafetyPolicyPlugin';
export * from './policy/packs/stackyardCore';
export * from './manifest/schema';
export * from './manifest/ManifestError';
export * from './manifest/ExtensionError';
export * from './manifest/loadExtension';
export * from './manifest/loadManifest';
export * from './manifest/buildService';
export * from './synth/summarize';
export * from './synth/synthApp';
export * from './synth/synthService';
export * from './sandbox/SandboxPool';
export * from './sandbox/SandboxError';
export * from './sandbox/synthInSandbox';
export { runSandboxChild } from './sandbox/child';
export type { SandboxJob } from './sandbox/protocol';
export { runCli, EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT } from './cli/main';
export type { CliOutput } from './cli/main';
export { checkTemplates } from './cli/checkTemplates';
export { readTemplates, BadInputError } from './cli/readTemplates';
export type { TemplateInput } from './cli/readTemplates';
