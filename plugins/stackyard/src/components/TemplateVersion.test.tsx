import { render, screen } from '@testing-library/react';
import { TemplateVersion } from './TemplateVersion';

describe('TemplateVersion', () => {
  it('shows a badge when the catalog has a newer version', () => {
    render(
      <TemplateVersion name="lambda-service" version="1.2.0" latest="1.10.0" />,
    );
    expect(screen.getByTestId('template-version')).toHaveTextContent(
      'Template lambda-service 1.2.0',
    );
    expect(
      screen.getByText('Newer version 1.10.0 available'),
    ).toBeInTheDocument();
  });

  it('shows no badge when the environment is current', () => {
    render(
      <TemplateVersion
        name="lambda-service"
        version="1.10.0"
        latest="1.10.0"
      />,
    );
    expect(screen.queryByText(/Newer version/)).not.toBeInTheDocument();
  });
});
