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

  it.each([
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
