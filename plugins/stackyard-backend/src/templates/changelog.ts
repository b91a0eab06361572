import type { ChangelogEntry } from '@stackyard/plugin-stackyard-common';

/** `## 1.1.0`, `## [1.1.0] - 2026-11-30`, `## v1.1.0 (2026-11-30)`. */
const HEADING = /^##\s+\[?v?(\d+(?:\.\d+){0,3})\]?(.*)$/;
const DATE = /\d{4}-\d{2}-\d{2}/;

/**
 * The entries of a template's CHANGELOG.md, in file order: one per `## `
 * heading naming a version, with everything up to the next `## ` heading as
 * its notes. Other headings and text before the first entry are left out.
 */
export function parseChangelog(markdown: string): ChangelogEntry[] {
  const entries: ChangelogEntry[] = [];
  let current: { entry: ChangelogEntry; lines: string[] } | undefined;
  const close = () => {
    if (current) {
      entries.push({
        ...current.entry,
        notes: current.lines.join('\n').trim(),
      });
    }
  };
  for (const line of markdown.split(/\r?\n/)) {
    if (line.startsWith('## ')) {
      close();
      current = undefined;
      const match = HEADING.exec(line.trim());
      if (match) {
        const date = DATE.exec(match[2])?.[0];
        current = {
          entry: { version: match[1], ...(date ? { date } : {}), notes: '' },
          lines: [],
        };
      }
      continue;
    }
    current?.lines.push(line);
  }
  close();
  return entries;
}
