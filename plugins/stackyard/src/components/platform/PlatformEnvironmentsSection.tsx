import { useCallback, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  usePlatformEnvironments,
  type PlatformFilters,
} from '../../hooks/usePlatformEnvironments';
import { sameFilters } from '../../lib/platformFilters';
import { CursorPager } from './CursorPager';
import { EnvironmentFilters } from './EnvironmentFilters';
import { PlatformEnvironmentsTable } from './PlatformEnvironmentsTable';

/** Every entity's environments, filtered and paginated by the backend. */
export function PlatformEnvironmentsSection(props: {
  /** How long typing in a filter pauses before fetching. */
  filterDebounceMs?: number;
}) {
  const [filters, setFilters] = useState<PlatformFilters>({});
  // Same filters keep the same object, so the list stays on its page.
  const onFilters = useCallback(
    (next: PlatformFilters) =>
      setFilters(current => (sameFilters(current, next) ? current : next)),
    [],
  );
  const pages = usePlatformEnvironments(filters);
  const filtered = Object.keys(filters).length > 0;

  return (
    <Box component="section" aria-labelledby="platform-environments" mb={4}>
      <Typography variant="h5" component="h2" id="platform-environments">
        Environments
      </Typography>
      <Typography variant="body2" color="textSecondary" paragraph>
        Every environment of every entity, however it was deployed. Open a stack
        for its entity's Infra tab.
      </Typography>
      <EnvironmentFilters
        onChange={onFilters}
        debounceMs={props.filterDebounceMs}
      />
      {pages.loading && <LinearProgress aria-label="Loading environments" />}
      {pages.error && (
        <Alert
          severity="error"
          action={<Button onClick={pages.reload}>Retry</Button>}
        >
          Could not load the environments: {pages.error.message}
        </Alert>
      )}
      {!pages.error && !pages.loading && pages.items.length === 0 && (
        <Typography variant="body2" role="status">
          {filtered
            ? 'No environment matches these filters.'
            : 'No environments yet: deploy a service from a Stackyard template or its CI.'}
        </Typography>
      )}
      {!pages.error && pages.items.length > 0 && (
        <PlatformEnvironmentsTable environments={pages.items} />
      )}
      <CursorPager pages={pages} label="Environment pages" />
    </Box>
  );
}
