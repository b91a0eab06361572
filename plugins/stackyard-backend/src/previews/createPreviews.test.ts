import { callbackUrlOf } from './createPreviews';

describe('callbackUrlOf', () => {
  it("is the backend's origin with the API's path and stage", () => {
    expect(
      callbackUrlOf(
        'http://backend.internal:7007/api/stackyard',
        '/api/stackyard/sockets/e1',
        'dev',
      ),
    ).toBe('http://backend.internal:7007/api/stackyard/sockets/e1/dev');
  });

  it('names localhost by its address, the one the runner may connect to', () => {
    expect(
      callbackUrlOf(
        'http://localhost:7007/api/stackyard',
        '/api/stackyard/sockets/e1',
        'dev',
      ),
    ).toBe('http://127.0.0.1:7007/api/stackyard/sockets/e1/dev');
  });
});
