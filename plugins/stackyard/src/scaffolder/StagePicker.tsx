import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  StagePickerOptions,
  stageOptions,
  stageProblem,
  targetFieldOf,
} from './targetChoice';
import { useTargets } from './useTargets';

/**
 * `ui:field: StackyardStagePicker`: the template's stages (its `enum` and
 * `enumNames`) that the chosen target accepts. The target is read from the
 * form field `ui:options.targetField` (default `target`).
 */
export function StagePicker(
  props: FieldExtensionComponentProps<string, StagePickerOptions>,
) {
  const {
    schema,
    uiSchema,
    formContext,
    formData,
    onChange,
    required,
    disabled,
    rawErrors,
    idSchema,
  } = props;
  const { targets, loading } = useTargets();
  const targetName = (formContext?.formData ?? {})[
    targetFieldOf(uiSchema?.['ui:options'])
  ];
  const target = targets?.find(t => t.name === targetName);
  const options = stageOptions(
    schema as { enum?: unknown[]; enumNames?: unknown[] },
    target,
  );
  const problem =
    (target && options.length === 0
      ? `target "${
          target.name
        }" accepts none of this template's stages; it accepts: ${target.stages?.join(
          ', ',
        )}`
      : undefined) ||
    (formData && targets && stageProblem(formData, targetName, targets)) ||
    rawErrors?.[0];
  const offered = options.some(o => o.value === formData);

  return (
    <TextField
      select
      id={idSchema?.$id}
      label={schema.title ?? 'Stage'}
      value={offered ? formData : ''}
      onChange={e => onChange(e.target.value as string)}
      helperText={problem || schema.description}
      error={Boolean(problem)}
      required={required}
      disabled={disabled || loading}
      margin="normal"
      variant="outlined"
      fullWidth
      inputProps={{ 'data-testid': 'stackyard-stage-picker' }}
    >
      {options.map(option => (
        <MenuItem key={option.value} value={option.value}>
          {option.label}
        </MenuItem>
      ))}
    </TextField>
  );
}
