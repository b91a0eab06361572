import { parseChangelog } from './changelog';

describe('parseChangelog', () => {
  it('reads one entry per version heading, with its date and notes', () => {
    const text = [
      '# Changelog',
      '',
      'Every change users see.',
      '',
      '## 1.1.0 - 2026-11-30',
      '',
      '- An alarm on the dead-letter queue depth.',
      '',
      '## [1.0.0]',
      '- First version.',
      '',
    ].join('\n');
    expect(parseChangelog(text)).toEqual([
      {
        version: '1.1.0',
        date: '2026-11-30',
        notes: '- An alarm on the dead-letter queue depth.',
      },
      { version: '1.0.0', notes: '- First version.' },
    ]);
  });

  it('leaves out headings that name no version, and their text', () => {
    const text = '## Unreleased\n- soon\n## v2.0 (2026-01-02)\r\n- two\n';
    expect(parseChangelog(text)).toEqual([
      { version: '2.0', date: '2026-01-02', notes: '- two' },
    ]);
  });

  it('reads nothing from a file without entries', () => {
    expect(parseChangelog('# Changelog\n\nNothing yet.')).toEqual([]);
  });
});
