import { parseManagementPath } from './managementRoutes';

describe('parseManagementPath', () => {
  it('parses both path forms and decodes the id', () => {
    expect(parseManagementPath('/@connections/abc%3D', 'dev')).toEqual({
      kind: 'connection',
      connectionId: 'abc=',
    });
    expect(parseManagementPath('/dev/@connections/abc=', 'dev')).toEqual({
      kind: 'connection',
      connectionId: 'abc=',
    });
    expect(parseManagementPath('/@channels/room-1', 'dev')).toEqual({
      kind: 'channel',
      name: 'room-1',
    });
  });

  it('ignores paths that are not management paths', () => {
    expect(parseManagementPath('/', 'dev')).toBeUndefined();
    expect(parseManagementPath('/dev', 'dev')).toBeUndefined();
    expect(parseManagementPath('/dev/other/x', 'dev')).toBeUndefined();
  });

  it.each([
    ['/prod/@connections/abc', /Unknown stage "prod"/],
    ['/@connections/', /Invalid connectionId/],
    ['/@connections/a/b', /Malformed/],
    ['/@connections/%E0%A4%A', /percent-encoding/],
    [`/@connections/${'x'.repeat(129)}`, /Invalid connectionId/],
  ])('marks %s invalid', (path, message) => {
    const target = parseManagementPath(path, 'dev');
    expect(target?.kind).toBe('invalid');
    expect(target).toMatchObject({ message: expect.stringMatching(message) });
  });
});
