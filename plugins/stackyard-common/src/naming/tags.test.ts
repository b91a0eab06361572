import { assertValidTags, validateTags } from './tags';

describe('validateTags', () => {
  it('accepts ordinary tags', () => {
    expect(
      validateTags({
        Project: 'wo',
        'stackyard:entity-ref': 'component:default/mailer',
        Note: 'a b_c.d=e+f-g@h',
      }),
    ).toEqual([]);
  });

  it('rejects the aws: prefix in any case', () => {
    expect(validateTags({ 'AWS:cloudformation': 'x' })).toEqual([
      'tag key "AWS:cloudformation" is not allowed: the "aws:" prefix is reserved for AWS',
    ]);
  });

  it('rejects keys over 128 and values over 256 characters', () => {
    const problems = validateTags({
      [`k${'x'.repeat(128)}`]: 'v',
      ok: 'v'.repeat(257),
    });
    expect(problems).toEqual([
      expect.stringMatching(/too long: 129 characters, at most 128 allowed/),
      expect.stringMatching(
        /tag "ok" value "v+…" \(257 characters\) is too long: 257 characters, at most 256 allowed/,
      ),
    ]);
  });

  it('rejects more than 50 tags', () => {
    const tags = Object.fromEntries(
      Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']),
    );
    expect(validateTags(tags)).toEqual([
      '51 tags given, at most 50 allowed per resource',
    ]);
    expect(() => assertValidTags(tags)).toThrow(/at most 50/);
  });

  it('rejects empty keys and forbidden characters', () => {
    expect(validateTags({ '': 'x', a: 'b;c' })).toEqual([
      'tag key must not be empty',
      expect.stringMatching(/tag "a" value "b;c" is not allowed/),
    ]);
  });
});
