import { useEffect } from 'react';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { targetDescription, unknownTargetProblem } from './targetChoice';
import { useTargets } from './useTargets';

/**
 * `ui:field: StackyardTargetPicker`: the targets of `stackyard.targets`,
 * as the backend lists them, so a target added to the configuration is
 * offered by every template. Chooses the first one while none is chosen.
 */
export function TargetPicker(props: FieldExtensionComponentProps<string>) {
  const {
    schema: { title = 'Target', description },
    formData,
    onChange,
    required,
    disabled,
    rawErrors,
    idSchema,
  } = props;
  const { targets, loading, error } = useTargets();

  useEffect(() => {
    if (!formData && targets?.length) onChange(targets[0].name);
  }, [formData, targets, onChange]);

  const problem =
    (error && `Targets could not be loaded: ${error.message}`) ||
    (formData && targets && unknownTargetProblem(formData, targets)) ||
    rawErrors?.[0];
  const known = targets?.some(t => t.name === formData);

  return (
    <TextField
      select
      id={idSchema?.$id}
      label={title}
      value={known ? formData : ''}
      onChange={e => onChange(e.target.value as string)}
      helperText={problem || description}
      error={Boolean(problem)}
      required={required}
      disabled={disabled || loading}
      margin="normal"
      variant="outlined"
      fullWidth
      inputProps={{ 'data-testid': 'stackyard-target-picker' }}
    >
      {(targets ?? []).map(target => (
        <MenuItem key={target.name} value={target.name}>
          {target.name} — {targetDescription(target)}
        </MenuItem>
      ))}
    </TextField>
  );
}
