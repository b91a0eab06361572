import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { TemplateVersion } from './TemplateVersion';

describe('TemplateVersion', () => {
  it("shows a badge when the catalog has a newer version, linking to the entity's upgrade", async () => {
    await renderInTestApp(
      <TemplateVersion
        name="lambda-service"
        version="1.2.0"
        latest="1.10.0"
        entityRef="component:default/orders"
      />,
    );
    expect(screen.getByTestId('template-version')).toHaveTextContent(
      'Template lambda-service 1.2.0',
    );
    expect(
      screen.getByText('Newer version 1.10.0 available'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: 'Newer version 1.10.0 available: open the upgrade',
      }),
    ).toHaveAttribute(
      'href',
      '/stackyard/templates?entity=component%3Adefault%2Forders',
    );
  });

  it('shows no badge when the environment is current', async () => {
    await renderInTestApp(
      <TemplateVersion
        name="lambda-service"
        version="1.10.0"
        latest="1.10.0"
      />,
    );
    expect(screen.getByTestId('template-version')).toBeInTheDocument();
    expect(screen.queryByText(/Newer version/)).not.toBeInTheDocument();
  });
});
