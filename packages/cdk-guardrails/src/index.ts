/**
 * Safe-by-construction AWS CDK constructs, a declarative service manifest, a
 * safety policy that fails synthesis, and an in-process synth API.
 *
 * @packageDocumentation
 */
export {
  BUILT_IN_STAGES,
  StageConfigError,
  resolveStageConfig,
} from './stages/stageConfig';
export type {
  CacheDefaults,
  ContainerDefaults,
  DatabaseDefaults,
  HttpThrottle,
  StageConfig,
  StageConfigOverride,
} from './stages/stageConfig';
export { SERVICE_TAG_KEYS, ServiceStack } from './constructs/ServiceStack';
export type {
  ServiceStackProps,
  ServiceTemplateRef,
} from './constructs/ServiceStack';
export { SafeFunction } from './constructs/SafeFunction';
export type { SafeFunctionProps } from './constructs/SafeFunction';
export { CONSUMER_VISIBILITY_FACTOR, SafeQueue } from './constructs/SafeQueue';
export type { SafeQueueProps } from './constructs/SafeQueue';
export { SafeTable } from './constructs/SafeTable';
export type { SafeTableProps } from './constructs/SafeTable';
export { CALLBACK_URL_ENV, WebSocketApi } from './constructs/WebSocketApi';
export type { WebSocketApiProps } from './constructs/WebSocketApi';
export { ServiceNetwork } from './constructs/ServiceNetwork';
export type { ServiceNetworkProps } from './constructs/ServiceNetwork';
export { SafeContainerService, isFargateSize } from './constructs/SafeContainerService';
export type {
  PublicEndpointProps,
  SafeContainerServiceProps,
} from './constructs/SafeContainerService';
export {
  MIN_PRODUCTION_BACKUP_DAYS,
  POSTGRES_PORT,
  SafeDatabase,
} from './constructs/SafeDatabase';
export type { SafeDatabaseProps } from './constructs/SafeDatabase';
export { REDIS_ENGINE_VERSION, REDIS_PORT, SafeCache } from './constructs/SafeCache';
export type { SafeCacheProps } from './constructs/SafeCache';
export { HttpApi } from './constructs/HttpApi';
export type { HttpApiProps } from './constructs/HttpApi';
export { ServiceAlarms } from './constructs/ServiceAlarms';
export type { ServiceAlarmsProps } from './constructs/ServiceAlarms';
export { ServiceBudget } from './constructs/ServiceBudget';
export type { ServiceBudgetProps } from './constructs/ServiceBudget';
export { stageConfigOf } from './constructs/stageOf';
export { compliant, nonCompliant, notApplicable } from './policy/types';
export type {
  AcknowledgedFinding,
  Finding,
  PassedCheck,
  PolicyReport,
  PolicyRule,
  RuleSeverity,
  RuleContext,
  RulePack,
  RuleResult,
  TemplateResource,
} from './policy/types';
export { severityOf } from './policy/types';
export { acknowledgeRule } from './policy/acknowledge';
export type { AcknowledgeRuleOptions } from './policy/acknowledge';
export {
  ACKNOWLEDGEMENTS_METADATA_KEY,
  MIN_REASON_LENGTH,
  isExpiryDate,
} from './policy/acknowledgements';
export {
  META_RULES,
  SANDBOX_RULE_ID,
  UNUSED_ACKNOWLEDGEMENT_RULE_ID,
} from './policy/metaRules';
export type { RuleInfo } from './policy/metaRules';
export {
  REPORT_FORMATS,
  isReportFormat,
  jsonReport,
  junitReport,
  manifestLocator,
  readRuleDoc,
  renderReport,
  ruleCatalog,
  ruleDocsUrl,
  sarifReport,
  templateLocator,
  textReport,
} from './report';
export type {
  ReportFormat,
  ReportInput,
  RuleDoc,
  SourceLocation,
} from './report';
export type { AcknowledgementEntry } from './policy/acknowledgements';
export {
  NotATemplateError,
  evaluateTemplate,
  formatFinding,
  templateResources,
} from './policy/evaluateTemplate';
export type { EvaluateTemplateOptions } from './policy/evaluateTemplate';
export { STAGE_METADATA_KEY, stageOfTemplate } from './policy/templateStage';
export type { RecordedStage } from './policy/templateStage';
export { SafetyPolicyPlugin } from './policy/SafetyPolicyPlugin';
export type { SafetyPolicyPluginProps } from './policy/SafetyPolicyPlugin';
export { stackyardCorePack } from './policy/packs/stackyardCore';
export { manifestSchema } from './manifest/schema';
export type {
  ManifestBudget,
  ManifestCache,
  ManifestContainer,
  ManifestDatabase,
  ManifestFunction,
  ManifestHttp,
  ManifestNetwork,
  ManifestQueue,
  ManifestStage,
  ManifestTable,
  ServiceManifest,
} from './manifest/schema';
export { ManifestError, formatIssue } from './manifest/ManifestError';
export type { ManifestIssue } from './manifest/ManifestError';
export { ExtensionError } from './manifest/ExtensionError';
export { loadExtension } from './manifest/loadExtension';
export {
  MANIFEST_FILE,
  loadManifest,
  parseManifest,
} from './manifest/loadManifest';
export { IMAGE_TAG_CONTEXT, buildService } from './manifest/buildService';
export type { BuildServiceOptions } from './manifest/buildService';
export type {
  ExtensionContext,
  Service,
  ServiceExtension,
} from './manifest/service';
export { summarizeTemplate } from './synth/summarize';
export type { StackSummary } from './synth/summarize';
export {
  ANNOTATION_RULE_ID,
  SYNTH_TMP_PREFIX,
  synthApp,
} from './synth/synthApp';
export type { SynthAppOptions, SynthResult } from './synth/synthApp';
export { synthService } from './synth/synthService';
export type {
  SynthServiceOptions,
  SynthServiceResult,
} from './synth/synthService';
export {
  SANDBOX_APP_DIR,
  SANDBOX_TMP_PREFIX,
  SandboxPool,
} from './sandbox/SandboxPool';
export type { SandboxPoolOptions } from './sandbox/SandboxPool';
export { SandboxError } from './sandbox/SandboxError';
export type { SandboxErrorReason } from './sandbox/SandboxError';
export { synthInSandbox } from './sandbox/synthInSandbox';
export type {
  SandboxSynthResult,
  SynthInSandboxOptions,
} from './sandbox/synthInSandbox';
export { SandboxResultCache } from './sandbox/SandboxResultCache';
export type { SandboxResultCacheOptions } from './sandbox/SandboxResultCache';
export type { SandboxJob } from './sandbox/protocol';
export { deployService } from './deploy/deployService';
export type {
  AwaitingApproval,
  CheckedService,
  CredentialProvider,
  DeployServiceOptions,
  DeployedService,
  ExtensionPolicy,
} from './deploy/deployService';
export {
  BroadeningRefusedError,
  DeployRefusedError,
  PolicyFindingsError,
} from './deploy/DeployRefusedError';
export {
  DEPLOY_CONFIRMATION_CODE,
  DESTROY_CONFIRMATION_CODE,
  GuardedIoHost,
  STACK_ACTIVITY_CODE,
  formatStackActivity,
} from './deploy/GuardedIoHost';
export type { DeployLog, GuardedIoHostOptions } from './deploy/GuardedIoHost';
export { endpointAgent } from './deploy/endpointAgent';
export { checkUntrustedAssembly } from './deploy/untrustedAssembly';
// Entry points of this package's executables, which load the built bundle
// (dist/index.cjs.js): bin/sandbox-child.js and bin/stackyard. The CLI's
// own helpers (template reading and checking) stay internal.
export { runSandboxChild } from './sandbox/child';
export {
  EXIT_BAD_INPUT,
  EXIT_DEPLOY_FAILED,
  EXIT_FINDINGS,
  EXIT_OK,
  runCli,
} from './cli/main';
export type { CliOutput } from './cli/main';
export type { CliEnv } from './cli/ciContext';
