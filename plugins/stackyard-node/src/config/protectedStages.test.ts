import { ConfigReader } from '@backstage/config';
import { isProtectedStage, readProtectedStages } from './protectedStages';

describe('isProtectedStage', () => {
  it('compares stages without regard to case, whichever side is capitalised', () => {
    const config = {
      protectedStages: readProtectedStages(
        new ConfigReader({ stackyard: { protectedStages: ['Prod'] } }),
      ),
    };
    expect(isProtectedStage(config, 'prod')).toBe(true);
    expect(isProtectedStage(config, 'PROD')).toBe(true);
    expect(isProtectedStage(config, 'Prod')).toBe(true);
    expect(isProtectedStage(config, 'production')).toBe(false);
    expect(isProtectedStage(config, 'dev')).toBe(false);
  });

  it('also holds for a hand-built list that was not lower-cased', () => {
    expect(isProtectedStage({ protectedStages: ['LIVE'] }, 'live')).toBe(true);
  });

  it('protects prod and production by default', () => {
    const config = {
      protectedStages: readProtectedStages(new ConfigReader({})),
    };
    expect(isProtectedStage(config, 'Production')).toBe(true);
    expect(isProtectedStage(config, 'preview')).toBe(false);
  });
});
