import { compileRouteSelectionExpression } from './routeSelection';

describe('compileRouteSelectionExpression', () => {
  it('selects a top-level property', () => {
    const select = compileRouteSelectionExpression('$request.body.action');
    expect(select({ action: 'echo' })).toBe('echo');
    expect(select({ other: 'echo' })).toBeUndefined();
  });

  it('selects a nested property', () => {
    const select = compileRouteSelectionExpression(
      '$request.body.meta.route.key',
    );
    expect(select({ meta: { route: { key: 'deep' } } })).toBe('deep');
    expect(select({ meta: { route: 'flat' } })).toBeUndefined();
    expect(select({ meta: null })).toBeUndefined();
  });

  it('stringifies numbers and booleans but not objects or arrays', () => {
    const select = compileRouteSelectionExpression('$request.body.k');
    expect(select({ k: 7 })).toBe('7');
    expect(select({ k: false })).toBe('false');
    expect(select({ k: { a: 1 } })).toBeUndefined();
    expect(select({ k: ['a'] })).toBeUndefined();
    expect(select([{ k: 'a' }])).toBeUndefined();
    expect(select('k')).toBeUndefined();
  });

  it('does not read inherited properties', () => {
    const select = compileRouteSelectionExpression('$request.body.toString');
    expect(select({})).toBeUndefined();
  });

  it('builds composite keys from several placeholders and literals', () => {
    const select = compileRouteSelectionExpression(
      '${request.body.service}/${request.body.action}',
    );
    expect(select({ service: 'orders', action: 'list' })).toBe('orders/list');
    expect(select({ service: 'orders' })).toBeUndefined();

    const prefixed = compileRouteSelectionExpression('v1:${request.body.a.b}!');
    expect(prefixed({ a: { b: 'x' } })).toBe('v1:x!');
  });

  it.each([
    '',
    'action',
    '$request.header.x',
    '$request.body.',
    '$request.body.a..b',
    '${request.body.a}/${request.body.}',
    '${request.body.a}/$request.body.b',
    '${request.querystring.a}',
  ])('rejects %j with a message quoting it', expression => {
    expect(() => compileRouteSelectionExpression(expression)).toThrow(
      JSON.stringify(expression),
    );
  });
});
