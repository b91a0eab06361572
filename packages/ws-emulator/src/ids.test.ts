import { AWS_STYLE_ID, createApiId, createAwsStyleId } from './ids';

describe('ids', () => {
  it('creates distinct API Gateway shaped ids', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = createAwsStyleId();
      expect(id).toMatch(AWS_STYLE_ID);
      ids.add(id);
    }
    expect(ids.size).toBe(2000);
  });

  it('encodes 11 bytes in each id, as API Gateway does', () => {
    for (let i = 0; i < 600; i++) {
      const id = createAwsStyleId();
      expect(Buffer.from(id, 'base64')).toHaveLength(11);
      expect(Buffer.from(id, 'base64').toString('base64')).toBe(id);
    }
  });

  it('creates lowercase alphanumeric api ids of 10 characters', () => {
    expect(createApiId()).toMatch(/^[a-z0-9]{10}$/);
  });
});
