import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Pagination from '@material-ui/lab/Pagination';
import type { Environment } from '@stackyard/plugin-stackyard-common';
import { groupByPrefix } from '../lib/grouping';
import { EnvironmentCard } from './EnvironmentCard';

/** Environments per page. */
export const PAGE_SIZE = 20;

/** Environments grouped by prefix, a page at a time. */
export function EnvironmentList(props: {
  environments: Environment[];
  revisions: Record<string, number>;
  latestTemplateVersions: Record<string, string>;
  onUpdated: (environment: Environment) => void;
  onTeardown: (environment: Environment) => void;
}) {
  const { environments, revisions, latestTemplateVersions } = props;
  const [page, setPage] = useState(1);
  const groups = groupByPrefix(environments);
  const ordered = groups.flatMap(g => g.environments);
  const pages = Math.max(1, Math.ceil(ordered.length / PAGE_SIZE));
  const current = Math.min(page, pages);
  const shown = groupByPrefix(
    ordered.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE),
  );
  return (
    <>
      {pages > 1 && (
        <Typography variant="body2">
          {ordered.length} environments; page {current} of {pages}
        </Typography>
      )}
      {shown.map(group => (
        <Box component="section" key={group.prefix} mb={3}>
          <Typography variant="h5" component="h2" gutterBottom>
            Prefix {group.prefix}
          </Typography>
          {group.environments.map(environment => (
            <Box key={environment.id} mb={2}>
              <EnvironmentCard
                environment={environment}
                revision={revisions[environment.id] ?? 0}
                latestTemplateVersion={
                  environment.templateName
                    ? latestTemplateVersions[environment.templateName]
                    : undefined
                }
                onUpdated={props.onUpdated}
                onTeardown={props.onTeardown}
              />
            </Box>
          ))}
        </Box>
      ))}
      {pages > 1 && (
        <Pagination
          count={pages}
          page={current}
          onChange={(_e, value) => setPage(value)}
          aria-label="Environment pages"
        />
      )}
    </>
  );
}
