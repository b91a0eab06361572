import { inferOrigin } from './inferOrigin';

const catalogInfo = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders
  description: Takes orders
  annotations:
    stackyard.io/project: orders
    stackyard.io/template: serverless-service@1.0.0
spec:
  type: service
  owner: group:default/team-a
  system: system:default/shop
`;
const manifest = `service:
  name: orders
  project: orders
  costCenter: cc-1
`;

describe('inferOrigin', () => {
  it('reads the template, version and answers a Stackyard template renders into the entity and manifest', () => {
    expect(inferOrigin({ catalogInfo, manifest })).toEqual({
      template: 'serverless-service',
      version: '1.0.0',
      answers: {
        name: 'orders',
        description: 'Takes orders',
        owner: 'group:default/team-a',
        system: 'system:default/shop',
        project: 'orders',
        costCenter: 'cc-1',
      },
    });
  });

  it('says nothing without the template annotation, or for files that are not YAML', () => {
    expect(
      inferOrigin({
        catalogInfo: catalogInfo.replace(
          /^ +stackyard\.io\/template:.*\n/m,
          '',
        ),
        manifest,
      }),
    ).toBeUndefined();
    expect(inferOrigin({ catalogInfo: '{ [', manifest })).toBeUndefined();
    expect(inferOrigin({})).toBeUndefined();
  });

  it('refuses a recorded version that is not one, as a recorded origin would be', () => {
    expect(() =>
      inferOrigin({
        catalogInfo: catalogInfo.replace('@1.0.0', '@latest; rm -rf /'),
      }),
    ).toThrow('is not a version such as 1.2.0');
  });
});
