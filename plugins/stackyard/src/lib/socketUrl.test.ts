import { previewSocketUrl } from './socketUrl';

describe('previewSocketUrl', () => {
  it('puts the path on the backend origin with the ws scheme', () => {
    expect(
      previewSocketUrl(
        '/api/stackyard/sockets/env-1/dev',
        'http://localhost:7007/api/stackyard',
      ),
    ).toBe('ws://localhost:7007/api/stackyard/sockets/env-1/dev');
  });

  it('uses wss behind https', () => {
    expect(
      previewSocketUrl(
        '/api/stackyard/sockets/env-1/dev',
        'https://portal.example.com/api/stackyard',
      ),
    ).toBe('wss://portal.example.com/api/stackyard/sockets/env-1/dev');
  });

  it('resolves a relative base URL against the page', () => {
    expect(
      previewSocketUrl(
        '/api/stackyard/sockets/env-1/dev',
        '/api/stackyard',
        'https://portal.example.com/catalog/default/component/x/infra',
      ),
    ).toBe('wss://portal.example.com/api/stackyard/sockets/env-1/dev');
  });
});
