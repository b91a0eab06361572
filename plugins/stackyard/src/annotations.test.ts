import type { Entity } from '@backstage/catalog-model';
import { isStackyardAvailable, templateOf } from './annotations';

const entity = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders', annotations },
});

describe('isStackyardAvailable', () => {
  it.each([
    [{ 'stackyard.io/prefix': 'wo' }, true],
    [{ 'stackyard.io/template': 'lambda-service' }, true],
    [{ 'backstage.io/techdocs-ref': 'dir:.' }, false],
    [undefined, false],
    [{ 'stackyard.io/prefix': '' }, false],
  ])('%j → %s', (annotations, expected) => {
    expect(isStackyardAvailable(entity(annotations))).toBe(expected);
  });
});

describe('templateOf', () => {
  it('reads a name and an optional version', () => {
    expect(
      templateOf(entity({ 'stackyard.io/template': 'lambda-service@1.4.0' })),
    ).toEqual({ name: 'lambda-service', version: '1.4.0' });
    expect(
      templateOf(entity({ 'stackyard.io/template': 'lambda-service' })),
    ).toEqual({ name: 'lambda-service' });
    expect(templateOf(entity())).toBeUndefined();
  });
});
