import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('renders the sign-in page of the portal', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Stackyard' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    screen.debug(undefined, 20000);
    expect(
      await screen.findByRole('button', { name: 'Enter' }),
    ).toBeInTheDocument();
  });
});
