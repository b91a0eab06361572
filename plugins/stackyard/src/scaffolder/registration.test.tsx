import { createExtensionTester } from '@backstage/frontend-test-utils';
import { getComponentData } from '@backstage/core-plugin-api';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import plugin, {
  StackyardStagePickerFieldExtension,
  StackyardTargetPickerFieldExtension,
} from '../index';
import { StagePicker } from './StagePicker';
import { TargetPicker } from './TargetPicker';
import { validateStage, validateTarget } from './validation';

const fields = [
  {
    name: 'StackyardTargetPicker',
    id: 'scaffolder-form-field:stackyard/target-picker',
    legacy: StackyardTargetPickerFieldExtension,
    component: TargetPicker,
    validation: validateTarget,
  },
  {
    name: 'StackyardStagePicker',
    id: 'scaffolder-form-field:stackyard/stage-picker',
    legacy: StackyardStagePickerFieldExtension,
    component: StagePicker,
    validation: validateStage,
  },
] as const;

describe.each(fields)(
  '$name',
  ({ name, id, legacy, component, validation }) => {
    it("is a form field of the new frontend system's scaffolder", async () => {
      const extension = plugin.getExtension(id);
      expect(extension).toBeDefined();
      const load = createExtensionTester(extension).get(
        FormFieldBlueprint.dataRefs.formFieldLoader,
      );
      await expect(load()).resolves.toMatchObject({
        name,
        component,
        validation,
      });
    });

    it('is a field extension of the legacy scaffolder', () => {
      const Legacy = legacy;
      expect(
        getComponentData(<Legacy />, 'scaffolder.extensions.field.v1'),
      ).toMatchObject({ name, component, validation });
    });
  },
);
