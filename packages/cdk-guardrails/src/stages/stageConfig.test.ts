import { BUILT_IN_STAGES, StageConfigError, resolveStageConfig } from './stageConfig';

describe('resolveStageConfig', () => {
  it('returns built-in stages', () => {
    expect(resolveStageConfig('prod')).toEqual(BUILT_IN_STAGES.prod);
    expect(resolveStageConfig('prod')).toMatchObject({ production: true, alarmsEnabled: true });
    expect(resolveStageConfig('preview')).toMatchObject({ ephemeral: true, production: false });
  });

  it('lets teams change built-in stages and add their own', () => {
    expect(resolveStageConfig('dev', { dev: { alarmsEnabled: true } })).toMatchObject({ name: 'dev', alarmsEnabled: true });
    expect(resolveStageConfig('pr', { pr: { extends: 'preview', ttlHours: 6 } })).toMatchObject({ ephemeral: true, ttlHours: 6 });
    expect(resolveStageConfig('qa', { qa: { extends: 'staging', memoryScale: 1.5 } })).toMatchObject({
      name: 'qa',
      alarmsEnabled: true,
      memoryScale: 1.5,
    });
  });

  it("holds the seed's dev/prod table", () => {
    expect(resolveStageConfig('dev')).toMatchObject({
      natGateways: 0,
      alarmsEnabled: false,
      containerDefaults: { cpu: 256, memoryMiB: 512, spot: true },
      databaseDefaults: { instanceType: 't3.micro', allocatedStorageGiB: 20, multiAz: false },
      cacheDefaults: { nodeType: 'cache.t3.micro' },
    });
    expect(resolveStageConfig('prod')).toMatchObject({
      natGateways: 1,
      alarmsEnabled: true,
      containerDefaults: { cpu: 512, memoryMiB: 1024, spot: false },
      databaseDefaults: { instanceType: 't3.small', allocatedStorageGiB: 50, multiAz: true, backupRetentionDays: 7 },
      cacheDefaults: { nodeType: 'cache.t3.small' },
    });
  });

  it('merges changes to the sizing defaults key by key', () => {
    const qa = resolveStageConfig('qa', { qa: { extends: 'prod', databaseDefaults: { instanceType: 't3.medium' }, httpThrottle: { rateLimit: 5 } } });
    expect(qa.databaseDefaults).toEqual({ instanceType: 't3.medium', allocatedStorageGiB: 50, multiAz: true, backupRetentionDays: 7 });
    expect(qa.httpThrottle).toEqual({ rateLimit: 5, burstLimit: 1000 });
  });

  it.each([
    ['dev', { dev: { natGateways: 2 } }, /stage "dev" natGateways 2 must be an integer from 0 to 1/],
    ['dev', { dev: { databaseDefaults: { backupRetentionDays: 40 } } }, /databaseDefaults.backupRetentionDays 40 must be an integer from 0 to 35/],
    ['dev', { dev: { httpThrottle: { rateLimit: 0 } } }, /httpThrottle.rateLimit 0 must be greater than 0/],
    ['qa', {}, /unknown stage "qa": use one of dev, preview, staging, prod/],
    ['qa', { qa: { extends: 'nope' } }, /stage "qa" extends unknown stage "nope"/],
    ['prod', { prod: { ephemeral: true } }, /stage "prod" cannot be both production and ephemeral/],
    ['dev', { dev: { logRetentionDays: 8 } }, /logRetentionDays 8 is not a CloudWatch Logs retention/],
    ['bad-name', {}, /stage "bad-name" is not allowed/],
    ['dev', { dev: { ttlHours: 24 } }, /stage "dev" has ttlHours but is not ephemeral/],
    ['preview', { preview: { ttlHours: 0 } }, /stage "preview" ttlHours 0 must be greater than 0/],
    ['__proto__', {}, /stage "__proto__" is not allowed/],
  ])('rejects %s %j', (stage, overrides, message) => {
    expect(() => resolveStageConfig(stage, overrides)).toThrow(StageConfigError);
    expect(() => resolveStageConfig(stage, overrides)).toThrow(message);
  });
});
