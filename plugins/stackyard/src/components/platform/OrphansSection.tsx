import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { Orphan, OrphanKind } from '@stackyard/plugin-stackyard-common';
import { useOrphans } from '../../hooks/useOrphans';
import { Timestamp } from '../Timestamp';
import { CursorPager } from './CursorPager';
import { OrphanTeardownButton } from './OrphanTeardownButton';
import { OrphanTeardownDialog } from './OrphanTeardownDialog';
import { usePlatformTableStyles } from './platformTableStyles';

const kinds: Record<OrphanKind, string> = {
  'missing-entity': 'Entity not in the catalog',
  'unreadable-tags': 'Unreadable tags',
};

const where = (orphan: Orphan) =>
  [orphan.target, orphan.accountId, orphan.region].filter(Boolean).join(' · ');

/**
 * Stacks with Stackyard tags that no catalog entity owns, each with a
 * guarded teardown. Nothing here is deleted automatically.
 */
export function OrphansSection(props: {
  /** How often a running teardown is checked. */
  progressIntervalMs?: number;
}) {
  const pages = useOrphans();
  const classes = usePlatformTableStyles();
  // Kept here, not in the row: the row leaves the list once the stack is
  // gone while the dialog still reports the teardown's end.
  const [tearingDown, setTearingDown] = useState<Orphan>();

  return (
    <Box component="section" aria-labelledby="platform-orphans">
      <Typography variant="h5" component="h2" id="platform-orphans">
        Orphan stacks
      </Typography>
      <Typography variant="body2" color="textSecondary" paragraph>
        Stacks with Stackyard tags whose entity is not in the catalog (deleted,
        renamed, never registered) or whose tags cannot be read. They are kept
        until someone tears them down.
      </Typography>
      {pages.loading && <LinearProgress aria-label="Loading orphan stacks" />}
      {pages.error && (
        <Alert
          severity="error"
          action={<Button onClick={pages.reload}>Retry</Button>}
        >
          Could not load the orphan stacks: {pages.error.message}
        </Alert>
      )}
      {!pages.error && !pages.loading && pages.items.length === 0 && (
        <Typography variant="body2" role="status">
          No orphan stacks: every tagged stack belongs to a catalog entity.
        </Typography>
      )}
      {!pages.error && pages.items.length > 0 && (
        <Table
          size="small"
          aria-label="Orphan stacks"
          className={classes.table}
        >
          <TableHead>
            <TableRow>
              <TableCell>Stack</TableCell>
              <TableCell>Why</TableCell>
              <TableCell>Where</TableCell>
              <TableCell>Stack status</TableCell>
              <TableCell>Tagged entity</TableCell>
              <TableCell>First seen</TableCell>
              <TableCell>
                <span hidden>Actions</span>
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {pages.items.map(orphan => (
              <TableRow key={orphan.id} data-testid="orphan">
                <TableCell className={classes.nowrap}>
                  {orphan.stackName}
                </TableCell>
                <TableCell>
                  <Typography variant="body2" component="div">
                    {kinds[orphan.kind]}
                  </Typography>
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    component="div"
                  >
                    {orphan.reason}
                  </Typography>
                </TableCell>
                <TableCell>{where(orphan)}</TableCell>
                <TableCell>{orphan.stackStatus ?? '—'}</TableCell>
                <TableCell>{orphan.entityRef ?? '—'}</TableCell>
                <TableCell>
                  <Timestamp iso={orphan.firstSeenAt} />
                </TableCell>
                <TableCell className={classes.nowrap}>
                  <OrphanTeardownButton
                    orphan={orphan}
                    onTeardown={setTearingDown}
                  />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <CursorPager pages={pages} label="Orphan stack pages" />
      {tearingDown && (
        <OrphanTeardownDialog
          orphan={tearingDown}
          progressIntervalMs={props.progressIntervalMs}
          onClose={() => {
            setTearingDown(undefined);
            pages.reload();
          }}
        />
      )}
    </Box>
  );
}
