import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { StagePicker } from './StagePicker';
import { TargetPicker } from './TargetPicker';
import { validateStage, validateTarget } from './validation';

/** `ui:field: StackyardTargetPicker` for the new frontend system. */
export const targetPickerFormField = createFormField({
  name: 'StackyardTargetPicker',
  component: TargetPicker,
  validation: validateTarget,
});

/** `ui:field: StackyardStagePicker` for the new frontend system. */
export const stagePickerFormField = createFormField({
  name: 'StackyardStagePicker',
  component: StagePicker,
  validation: validateStage,
});
