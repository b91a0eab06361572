import { ConfigReader } from '@backstage/config';
import { readApproverGroups, readPlatformAdminGroups } from './platformAdmins';

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

describe('readApproverGroups', () => {
  it('names nobody by default, and reads full group refs lower-cased', () => {
    expect(readApproverGroups(new ConfigReader({}))).toEqual([]);
    expect(
      readApproverGroups(
        new ConfigReader({
          stackyard: {
            approvals: { approverGroups: ['group:default/Security'] },
          },
        }),
      ),
    ).toEqual(['group:default/security']);
  });

  it('refuses a ref that is no group, naming the key', () => {
    expect(() =>
      readApproverGroups(
        new ConfigReader({
          stackyard: { approvals: { approverGroups: ['user:default/alice'] } },
        }),
      ),
    ).toThrow(
      'stackyard.approvals.approverGroups[0]: "user:default/alice" is not a full group ref',
    );
  });
});
