import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import { stackyardApiRef } from '../api/StackyardApi';
import { mockStackyardApi } from '../__testUtils__/fixtures';
import { validateStage, validateTarget } from './validation';

function context(formData: Record<string, unknown>, uiSchema = {}) {
  const api = mockStackyardApi([]);
  api.listTargets.mockResolvedValue({
    items: [
      { name: 'local', type: 'local' },
      {
        name: 'sandbox',
        type: 'aws',
        accountId: '123456789012',
        region: 'eu-west-1',
        stages: ['staging', 'prod'],
      },
    ],
  });
  return {
    apiHolder: {
      get: (ref: { id: string }) =>
        ref.id === stackyardApiRef.id ? api : undefined,
    } as any,
    formData: formData as any,
    schema: {},
    uiSchema,
  };
}

async function errorsOf(
  run: (v: ReturnType<typeof createFieldValidation>) => Promise<void> | void,
) {
  const validation = createFieldValidation();
  await run(validation);
  return validation.__errors;
}

describe('validateStage', () => {
  it('refuses a stage the chosen target does not accept', async () => {
    expect(
      await errorsOf(v =>
        validateStage('dev', v, context({ target: 'sandbox', stage: 'dev' })),
      ),
    ).toEqual([
      'target "sandbox" does not accept stage "dev"; it accepts: staging, prod',
    ]);
  });

  it('accepts a stage the chosen target accepts, and any stage on a target without a list', async () => {
    expect(
      await errorsOf(v =>
        validateStage('staging', v, context({ target: 'sandbox' })),
      ),
    ).toEqual([]);
    expect(
      await errorsOf(v =>
        validateStage('dev', v, context({ target: 'local' })),
      ),
    ).toEqual([]);
  });

  it('reads the target from ui:options.targetField', async () => {
    expect(
      await errorsOf(v =>
        validateStage(
          'dev',
          v,
          context(
            { deployTo: 'sandbox' },
            { 'ui:options': { targetField: 'deployTo' } },
          ),
        ),
      ),
    ).toHaveLength(1);
  });
});

describe('validateTarget', () => {
  it('refuses a target the backend does not list', async () => {
    expect(await errorsOf(v => validateTarget('gone', v, context({})))).toEqual(
      ['target "gone" is not configured; configured targets: local, sandbox'],
    );
    expect(
      await errorsOf(v => validateTarget('sandbox', v, context({}))),
    ).toEqual([]);
  });
});
