import { alarmConsoleUrl, stackConsoleUrl } from './consoleLinks';

const aws = {
  targetType: 'aws' as const,
  region: 'eu-west-1',
  stackName: 'wo-dev',
  stackId:
    'arn:aws:cloudformation:eu-west-1:123456789012:stack/wo-dev/0f1e2d3c',
};

describe('console links', () => {
  it('links a stack by its id, in its region', () => {
    expect(stackConsoleUrl(aws, 'resources')).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudformation/home?region=eu-west-1#/stacks/resources?stackId=arn%3Aaws%3Acloudformation%3Aeu-west-1%3A123456789012%3Astack%2Fwo-dev%2F0f1e2d3c',
    );
  });

  it('falls back to the stack name', () => {
    expect(stackConsoleUrl({ ...aws, stackId: undefined })).toMatch(
      /#\/stacks\/stackinfo\?stackId=wo-dev$/,
    );
  });

  it('links an alarm by its encoded name', () => {
    expect(alarmConsoleUrl(aws, 'wo-dev Errors/5xx')).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/wo-dev%20Errors%2F5xx',
    );
  });

  it('has no links for local previews', () => {
    const local = { ...aws, targetType: 'local' as const };
    expect(stackConsoleUrl(local)).toBeUndefined();
    expect(alarmConsoleUrl(local, 'x')).toBeUndefined();
  });
});
