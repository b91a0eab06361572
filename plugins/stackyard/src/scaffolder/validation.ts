import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { stackyardApiRef } from '../api/StackyardApi';
import {
  StagePickerOptions,
  stageProblem,
  targetFieldOf,
  unknownTargetProblem,
} from './targetChoice';

async function targetsOf(
  apiHolder: Parameters<CustomFieldValidator<string>>[2]['apiHolder'],
) {
  const api = apiHolder.get(stackyardApiRef);
  if (!api) throw new Error('The Stackyard API is not available');
  return (await api.listTargets()).items;
}

/**
 * Refuses a target the backend does not list (a stale form, or a value
 * from the URL): the deploy would refuse it after the repository exists.
 */
export const validateTarget: CustomFieldValidator<string> = async (
  value,
  validation,
  { apiHolder },
) => {
  if (!value) return;
  const problem = unknownTargetProblem(value, await targetsOf(apiHolder));
  if (problem) validation.addError(problem);
};

/** Refuses a stage the chosen target does not accept. */
export const validateStage: CustomFieldValidator<
  string,
  StagePickerOptions
> = async (value, validation, { apiHolder, formData, uiSchema }) => {
  if (!value) return;
  const targetName = formData[targetFieldOf(uiSchema?.['ui:options'])];
  const problem = stageProblem(value, targetName, await targetsOf(apiHolder));
  if (problem) validation.addError(problem);
};
