import { ConfigReader } from '@backstage/config';
import { readPlatformAdminGroups } from './platformAdmins';

describe('readPlatformAdminGroups', () => {
  it('names nobody by default', () => {
    expect(readPlatformAdminGroups(new ConfigReader({}))).toEqual([]);
  });

  it('reads full group refs, lower-cased like ownership claims', () => {
    expect(
      readPlatformAdminGroups(
        new ConfigReader({
          stackyard: {
            platform: { adminGroups: ['group:default/Platform-Team'] },
          },
        }),
      ),
    ).toEqual(['group:default/platform-team']);
  });

  it.each(['platform-team', 'user:default/alice', 'group:platform-team'])(
    'refuses %s, naming the key and quoting the value',
    value => {
      expect(() =>
        readPlatformAdminGroups(
          new ConfigReader({
            stackyard: {
              platform: { adminGroups: ['group:default/ok', value] },
            },
          }),
        ),
      ).toThrow(
        `stackyard.platform.adminGroups[1]: "${value}" is not a full group ref`,
      );
    },
  );
});
