import { z } from 'zod';
import { pathParameters, routePath, stackyardRoutes } from './routes';

describe('stackyardRoutes', () => {
  it('fills path parameters, each encoded as one segment', () => {
    expect(
      routePath(stackyardRoutes.sendToConnection, {
        id: 'a/b',
        connectionId: 'c+d=',
      }),
    ).toBe('/environments/a%2Fb/sockets/connections/c%2Bd%3D/messages');
  });

  it('refuses a path with a parameter left out', () => {
    expect(() => routePath(stackyardRoutes.getEnvironment)).toThrow(
      'Missing path parameter "id" of /environments/{id}',
    );
  });

  it.each(Object.entries(stackyardRoutes))(
    '%s: declares its path parameters, a 401 and bodies with component ids',
    (_, route) => {
      for (const [, name] of route.path.matchAll(/\{(\w+)\}/g)) {
        expect(pathParameters).toHaveProperty(name);
      }
      expect(route.responses).toHaveProperty('401');
      const bodies = [
        'body' in route ? route.body : undefined,
        ...Object.values(route.responses).map(r =>
          'body' in r ? r.body : undefined,
        ),
      ].filter(Boolean) as z.ZodType[];
      for (const body of bodies) {
        expect(z.globalRegistry.get(body)?.id).toEqual(expect.any(String));
      }
    },
  );
});
