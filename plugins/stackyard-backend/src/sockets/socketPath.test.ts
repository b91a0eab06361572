import {
  canonicalSocketUrl,
  isUpgradePath,
  parseSocketPath,
} from './socketPath';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('parseSocketPath', () => {
  it.each([
    [`/${ID}/dev`, { environmentId: ID, stage: 'dev', rest: '' }],
    [`/${ID}/dev/`, { environmentId: ID, stage: 'dev', rest: '/' }],
    [
      `/${ID.toUpperCase()}/dev/@connections/abc=`,
      { environmentId: ID, stage: 'dev', rest: '/@connections/abc=' },
    ],
  ])('parses %s', (path, expected) => {
    expect(parseSocketPath(path)).toEqual(expected);
  });

  it.each([
    [`/${ID}`, 'no stage'],
    [`/${ID}/`, 'empty stage'],
    ['/not-a-uuid/dev', 'not an environment id'],
    [`/${ID}/d-ev`, 'not a stage'],
    [`${ID}/dev`, 'not absolute'],
  ])('refuses %s (%s)', path => {
    expect(parseSocketPath(path)).toBeUndefined();
  });

  it('tells upgrade paths from management paths', () => {
    expect(isUpgradePath(parseSocketPath(`/${ID}/dev`)!)).toBe(true);
    expect(isUpgradePath(parseSocketPath(`/${ID}/dev/`)!)).toBe(true);
    expect(isUpgradePath(parseSocketPath(`/${ID}/dev/@connections/abc`)!)).toBe(
      false,
    );
  });
});

describe('canonicalSocketUrl', () => {
  const prefix = '/api/stackyard/sockets';

  it('lower-cases the environment id and keeps stage, rest and query', () => {
    expect(
      canonicalSocketUrl(
        `${prefix}/${ID.toUpperCase()}/Dev/@connections/x?a=B`,
        prefix,
      ),
    ).toBe(`${prefix}/${ID}/Dev/@connections/x?a=B`);
  });

  it('leaves other URLs alone', () => {
    for (const url of [`/api/other/${ID}/dev`, `${prefix}/${ID}`]) {
      expect(canonicalSocketUrl(url, prefix)).toBe(url);
    }
  });
});
