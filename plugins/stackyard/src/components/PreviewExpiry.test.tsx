import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import type { Environment } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';
import { anEnvironment, mockStackyardApi } from '../__testUtils__/fixtures';
import {
  expectOwnersOnly,
  findPermittedButton,
  permissionApi,
} from '../__testUtils__/permissions';
import { PreviewExpiry } from './PreviewExpiry';

// usePermission caches decisions per resource across renders, so every test
// uses an entity of its own.
let entityCount = 0;

function renderExpiry(allowed: boolean) {
  entityCount += 1;
  const preview = anEnvironment({
    entityRef: `component:default/preview-${entityCount}`,
    expiresAt: '2099-01-01T00:00:00Z',
  });
  const api = mockStackyardApi([preview]);
  api.extendExpiry.mockResolvedValue({
    ...preview,
    expiresAt: '2099-01-02T00:00:00Z',
  });
  const onExtended = jest.fn<void, [Environment]>();
  renderInTestApp(
    <PreviewExpiry environment={preview} onExtended={onExtended} />,
    {
      apis: [
        [stackyardApiRef, api],
        [
          permissionApiRef,
          permissionApi(allowed, 'stackyard.environment.extend'),
        ],
      ],
    },
  );
  return { api, preview, onExtended };
}

describe('PreviewExpiry', () => {
  it('lets an owner extend the preview', async () => {
    const { api, preview, onExtended } = renderExpiry(true);
    const button = await findPermittedButton('Extend by 24 h');
    expect(button).not.toHaveAccessibleDescription();
    await userEvent.click(button);
    expect(api.extendExpiry).toHaveBeenCalledWith(preview.id, { hours: 24 });
    expect(onExtended).toHaveBeenCalledWith(
      expect.objectContaining({ expiresAt: '2099-01-02T00:00:00Z' }),
    );
  });

  it('is blocked, saying who may, for someone who may not extend it', async () => {
    const { api, preview, onExtended } = renderExpiry(false);
    const button = await expectOwnersOnly(
      'Extend by 24 h',
      preview.entityRef,
      'extend its previews',
    );
    await userEvent.click(button);
    expect(api.extendExpiry).not.toHaveBeenCalled();
    expect(onExtended).not.toHaveBeenCalled();
  });
});
