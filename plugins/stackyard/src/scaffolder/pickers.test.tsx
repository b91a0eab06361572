import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { TargetSummary } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';
import { mockStackyardApi } from '../__testUtils__/fixtures';
import { StagePicker } from './StagePicker';
import { TargetPicker } from './TargetPicker';

const local: TargetSummary = { name: 'local', type: 'local' };
const sandbox: TargetSummary = {
  name: 'sandbox',
  type: 'aws',
  accountId: '123456789012',
  region: 'eu-west-1',
  stages: ['staging', 'prod'],
};

/** The template's stage field, as templates/*\/template.yaml declares it. */
const stageSchema = {
  title: 'Stage',
  type: 'string' as const,
  description: 'The stage of the first environment.',
  enum: ['dev', 'preview', 'staging'],
  enumNames: ['dev (long-lived)', 'preview (ephemeral)', 'staging (alarms on)'],
};

function apiListing(targets: TargetSummary[]) {
  const api = mockStackyardApi([]);
  api.listTargets.mockResolvedValue({ items: targets });
  return api;
}

async function renderField(
  element: JSX.Element,
  targets: TargetSummary[] = [local, sandbox],
) {
  const api = apiListing(targets);
  await renderInTestApp(
    <TestApiProvider apis={[[stackyardApiRef, api]]}>
      {element}
    </TestApiProvider>,
  );
  return api;
}

// Only the props the pickers read; the scaffolder passes many more.
const fieldProps = (patch: Record<string, unknown>) =>
  ({
    schema: {},
    uiSchema: {},
    idSchema: { $id: 'root_field' },
    formContext: { formData: {} },
    rawErrors: [],
    required: true,
    onChange: jest.fn(),
    ...patch,
  } as any);

async function openSelect(testId: string) {
  const select = screen.getByTestId(testId).parentElement!;
  fireEvent.mouseDown(within(select).getByRole('button'));
  return screen.findByRole('listbox');
}

describe('TargetPicker', () => {
  it('offers every target the backend lists, with its account and region', async () => {
    const props = fieldProps({
      schema: { title: 'Target', description: 'Where it runs.' },
      formData: 'local',
    });
    const api = await renderField(<TargetPicker {...props} />);
    expect(api.listTargets).toHaveBeenCalled();

    const listbox = await waitFor(() => openSelect('stackyard-target-picker'));
    const options = within(listbox)
      .getAllByRole('option')
      .map(o => o.textContent);
    expect(options).toEqual([
      'local — local preview, not deployed to AWS',
      'sandbox — AWS account 123456789012 · eu-west-1',
    ]);
    await userEvent.click(within(listbox).getByText(/^sandbox/));
    expect(props.onChange).toHaveBeenCalledWith('sandbox');
    expect(screen.getByText('Where it runs.')).toBeInTheDocument();
  });

  it('chooses the first configured target while none is chosen', async () => {
    const props = fieldProps({ formData: undefined });
    await renderField(<TargetPicker {...props} />, [sandbox, local]);
    await waitFor(() => expect(props.onChange).toHaveBeenCalledWith('sandbox'));
  });

  it('lists a target as soon as the backend does, whatever the template says', async () => {
    const added: TargetSummary = {
      name: 'sandbox-us',
      type: 'aws',
      accountId: '210987654321',
      region: 'us-east-1',
    };
    const props = fieldProps({ formData: 'local' });
    await renderField(<TargetPicker {...props} />, [local, sandbox, added]);
    const listbox = await waitFor(() => openSelect('stackyard-target-picker'));
    expect(
      within(listbox).getByText(
        'sandbox-us — AWS account 210987654321 · us-east-1',
      ),
    ).toBeInTheDocument();
  });

  it('says so when the chosen target is not configured', async () => {
    const props = fieldProps({ formData: 'gone' });
    await renderField(<TargetPicker {...props} />);
    expect(
      await screen.findByText(
        'target "gone" is not configured; configured targets: local, sandbox',
      ),
    ).toBeInTheDocument();
    expect(props.onChange).not.toHaveBeenCalled();
  });

  it('says so when the targets cannot be loaded', async () => {
    const api = mockStackyardApi([]);
    api.listTargets.mockRejectedValue(new Error('backend down'));
    await renderInTestApp(
      <TestApiProvider apis={[[stackyardApiRef, api]]}>
        <TargetPicker {...fieldProps({ formData: 'local' })} />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('Targets could not be loaded: backend down'),
    ).toBeInTheDocument();
  });
});

describe('StagePicker', () => {
  const stageProps = (target: string | undefined, stage: string) =>
    fieldProps({
      schema: stageSchema,
      formData: stage,
      formContext: { formData: { target, stage } },
    });

  const offeredStages = async () => {
    const listbox = await waitFor(() => openSelect('stackyard-stage-picker'));
    return within(listbox)
      .getAllByRole('option')
      .map(o => o.textContent);
  };

  it('offers every stage of the template on a target that accepts any stage', async () => {
    await renderField(<StagePicker {...stageProps('local', 'dev')} />);
    await waitFor(() =>
      expect(screen.getByText('dev (long-lived)')).toBeInTheDocument(),
    );
    expect(await offeredStages()).toEqual(stageSchema.enumNames);
  });

  it('offers only the stages the chosen target accepts', async () => {
    const props = stageProps('sandbox', 'staging');
    await renderField(<StagePicker {...props} />);
    await waitFor(() =>
      expect(screen.getByText('staging (alarms on)')).toBeInTheDocument(),
    );
    expect(await offeredStages()).toEqual(['staging (alarms on)']);
  });

  it('says why a stage the chosen target refuses cannot be used', async () => {
    await renderField(<StagePicker {...stageProps('sandbox', 'dev')} />);
    expect(
      await screen.findByText(
        'target "sandbox" does not accept stage "dev"; it accepts: staging, prod',
      ),
    ).toBeInTheDocument();
  });

  it('reads the target from the field ui:options.targetField names', async () => {
    const props = fieldProps({
      schema: stageSchema,
      uiSchema: { 'ui:options': { targetField: 'deployTo' } },
      formData: 'dev',
      formContext: { formData: { deployTo: 'sandbox' } },
    });
    await renderField(<StagePicker {...props} />);
    expect(
      await screen.findByText(/does not accept stage "dev"/),
    ).toBeInTheDocument();
  });

  it("says so when the target accepts none of the template's stages", async () => {
    const prodOnly: TargetSummary = {
      ...sandbox,
      name: 'prod',
      stages: ['prod'],
    };
    await renderField(<StagePicker {...stageProps('prod', 'dev')} />, [
      local,
      prodOnly,
    ]);
    expect(
      await screen.findByText(
        'target "prod" accepts none of this template\'s stages; it accepts: prod',
      ),
    ).toBeInTheDocument();
  });
});
