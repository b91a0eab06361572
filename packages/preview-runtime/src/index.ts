/**
 * Runs a service's local preview: its functions in a sandboxed runner
 * process, its tables on dynalite and its queues with SQS semantics, as the
 * synthesized template defines them.
 *
 * @packageDocumentation
 */
export { startPreview, PreviewRuntimeError } from './startPreview';
export { PreviewPlanError } from './plan/buildPlan';
export type {
  InvokeResult,
  PreviewConnections,
  PreviewLogLine,
  PreviewQueue,
  PreviewTable,
  RunningPreview,
  StartPreviewOptions,
} from './types';
// The runner process's entry, for the built package's bin/preview-runner.js.
export { runPreviewRunner } from './runner/runnerMain';
export type { ImportModule } from './runner/FunctionHost';
