import { entityRefOf } from './entityRef';

describe('entityRefOf', () => {
  it('reads the first entity of catalog-info.yaml', () => {
    expect(
      entityRefOf(
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: orders\nspec:\n  owner: group:default/team-a\n',
      ),
    ).toBe('component:default/orders');
    expect(
      entityRefOf(
        '---\nkind: API\nmetadata:\n  name: Orders-API\n  namespace: Shop\n---\nkind: Component\nmetadata:\n  name: other\n',
      ),
    ).toBe('api:shop/Orders-API');
  });

  it.each([
    [undefined],
    [''],
    ['kind: Component\n'],
    ['metadata:\n  name: orders\n'],
    ['kind: [\n'],
    ['kind: Component\nmetadata:\n  name: 42\n'],
  ])('names no entity for %j', text => {
    expect(entityRefOf(text)).toBeUndefined();
  });
});
