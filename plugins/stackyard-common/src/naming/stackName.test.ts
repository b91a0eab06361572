import {
  assertValidStackName,
  stackNameFor,
  validatePrefix,
  validateStackName,
  validateStage,
} from './stackName';

describe('stack names', () => {
  it('builds <prefix>-<stage>', () => {
    expect(stackNameFor('wo-42', 'prod')).toBe('wo-42-prod');
  });

  it('accepts CloudFormation-valid names up to 128 characters', () => {
    expect(validateStackName('a')).toEqual([]);
    expect(validateStackName(`A${'-b1'.repeat(42)}`)).toEqual([]);
  });

  it.each([
    ['1abc', /must start with a letter/],
    ['ab_c', /"ab_c" is not allowed/],
    ['a b', /"a b" is not allowed/],
    ['', /must not be empty/],
    ['é', /"é" is not allowed/],
  ])('rejects %j quoting the value and saying what is allowed', (name, re) => {
    const problems = validateStackName(name);
    expect(problems.join('\n')).toMatch(re);
    expect(() => assertValidStackName(name)).toThrow(re);
  });

  it('rejects names over 128 characters with the length', () => {
    const name = `a${'b'.repeat(128)}`;
    expect(validateStackName(name)).toEqual([
      expect.stringMatching(/too long: 129 characters, at most 128 allowed/),
    ]);
  });

  it('rejects non-strings', () => {
    expect(validateStackName(42)).toEqual(['stack name must be a string, got 42']);
  });

  it('validates prefix and stage separately, listing every problem', () => {
    expect(validatePrefix('-x')).toHaveLength(1);
    expect(validateStage('dev-1')).toEqual([
      expect.stringMatching(/stage "dev-1" is not allowed: .*letters and digits/),
    ]);
    expect(() => stackNameFor('1x', 'pr od')).toThrow(
      /prefix "1x" is not allowed.*; stage "pr od" is not allowed/,
    );
  });

  it('rejects a too long prefix', () => {
    expect(validatePrefix(`a${'b'.repeat(64)}`)[0]).toMatch(/at most 64/);
  });
});
