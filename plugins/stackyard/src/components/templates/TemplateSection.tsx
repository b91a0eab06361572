import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { Link, MarkdownContent } from '@backstage/core-components';
import {
  TemplateEntity,
  TemplateSummary,
  compareVersions,
} from '@stackyard/plugin-stackyard-common';
import { useInfraTabLink } from '../../hooks/useInfraTabLink';
import { UpgradeResult } from './UpgradeResult';

const upgrading = (entity: TemplateEntity) =>
  entity.lastUpgrade?.state === 'queued' ||
  entity.lastUpgrade?.state === 'running';

/** Entries newer than the oldest version an entity is on. */
function relevantChangelog(template: TemplateSummary) {
  const inUse = template.entities
    .map(e => e.version)
    .filter((v): v is string => Boolean(v));
  const oldest = inUse.sort((a, b) => compareVersions(a, b) ?? 0)[0];
  return template.changelog.filter(
    entry => !oldest || (compareVersions(entry.version, oldest) ?? 1) > 0,
  );
}

/**
 * One template: its versions with how many entities are on each, the
 * changelog since the oldest version in use, and its entities with "Open
 * upgrade" (one, or a selection) for those the viewer may upgrade.
 */
export function TemplateSection(props: {
  template: TemplateSummary;
  onUpgrade: (entityRefs: string[]) => Promise<void>;
  /** An entity to mark (the Infra tab's badge links here with it). */
  focusEntityRef?: string;
}) {
  const { template, onUpgrade, focusEntityRef } = props;
  const infraTab = useInfraTabLink();
  const [selected, setSelected] = useState<string[]>(() =>
    focusEntityRef &&
    template.entities.some(
      e => e.entityRef === focusEntityRef && e.behind && e.canUpgrade,
    )
      ? [focusEntityRef]
      : [],
  );
  const [error, setError] = useState<Error>();
  const [starting, setStarting] = useState(false);
  const headingId = `template-${template.name}`;
  const changelog = relevantChangelog(template);

  const start = async (refs: string[]) => {
    setStarting(true);
    setError(undefined);
    try {
      await onUpgrade(refs);
      setSelected(s => s.filter(ref => !refs.includes(ref)));
    } catch (e) {
      setError(e as Error);
    } finally {
      setStarting(false);
    }
  };
  const toggle = (ref: string) =>
    setSelected(s =>
      s.includes(ref) ? s.filter(r => r !== ref) : [...s, ref],
    );

  return (
    <Box component="section" aria-labelledby={headingId} mb={4}>
      <Typography variant="h5" component="h2" id={headingId}>
        {template.title ?? template.name}
        {template.latestVersion && ` ${template.latestVersion}`}
      </Typography>
      <Typography variant="body2" color="textSecondary" paragraph>
        {template.name}
        {template.owner && ` · owned by ${template.owner}`} ·{' '}
        {template.versions
          .map(
            v =>
              `${v.version}: ${v.entities} ${
                v.entities === 1 ? 'entity' : 'entities'
              }`,
          )
          .join(' · ')}
      </Typography>
      {changelog.length > 0 && (
        <Box
          mb={2}
          aria-label={`Changelog of ${template.name}`}
          component="div"
        >
          <Typography variant="subtitle2" component="h3">
            Changelog
          </Typography>
          {changelog.map(entry => (
            <Box key={entry.version} data-testid="changelog-entry">
              <Typography variant="body2">
                <strong>{entry.version}</strong>
                {entry.date && ` (${entry.date})`}
              </Typography>
              <MarkdownContent content={entry.notes} />
            </Box>
          ))}
        </Box>
      )}
      {error && (
        <Alert severity="error">Could not start: {error.message}</Alert>
      )}
      {template.entities.length === 0 ? (
        <Typography variant="body2">No entity was made from it yet.</Typography>
      ) : (
        <>
          <Table
            size="small"
            aria-label={`Entities made from ${template.name}`}
          >
            <TableHead>
              <TableRow>
                <TableCell padding="checkbox" />
                <TableCell>Entity</TableCell>
                <TableCell>Version</TableCell>
                <TableCell>Upgrade</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {template.entities.map(entity => {
                const upgradable =
                  entity.behind &&
                  entity.canUpgrade &&
                  !entity.blockedReason &&
                  !upgrading(entity);
                const link = infraTab(entity.entityRef);
                return (
                  <TableRow
                    key={entity.entityRef}
                    data-testid="template-entity"
                    selected={entity.entityRef === focusEntityRef}
                  >
                    <TableCell padding="checkbox">
                      {upgradable && (
                        <Checkbox
                          checked={selected.includes(entity.entityRef)}
                          onChange={() => toggle(entity.entityRef)}
                          inputProps={{
                            'aria-label': `Select ${entity.entityRef}`,
                          }}
                        />
                      )}
                    </TableCell>
                    <TableCell>
                      {link ? (
                        <Link to={link}>{entity.entityRef}</Link>
                      ) : (
                        entity.entityRef
                      )}
                    </TableCell>
                    <TableCell>
                      {entity.version ?? 'unknown'}{' '}
                      {entity.behind && (
                        <Chip size="small" color="secondary" label="Behind" />
                      )}
                    </TableCell>
                    <TableCell>
                      {entity.lastUpgrade && (
                        <UpgradeResult upgrade={entity.lastUpgrade} />
                      )}
                    </TableCell>
                    <TableCell align="right">
                      {upgradable && (
                        <Button
                          size="small"
                          variant="outlined"
                          disabled={starting}
                          onClick={() => start([entity.entityRef])}
                          aria-label={`Open upgrade of ${entity.entityRef}`}
                        >
                          Open upgrade
                        </Button>
                      )}
                      {entity.behind &&
                        entity.canUpgrade &&
                        entity.blockedReason && (
                          <Typography variant="caption" color="textSecondary">
                            Cannot be upgraded here: {entity.blockedReason}
                          </Typography>
                        )}
                      {entity.behind && !entity.canUpgrade && (
                        <Typography variant="caption" color="textSecondary">
                          Only its owners and the template's owners can upgrade
                          it
                        </Typography>
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          {selected.length > 0 && (
            <Box mt={1}>
              <Button
                variant="contained"
                color="primary"
                disabled={starting}
                onClick={() => start(selected)}
              >
                Open upgrade of {selected.length} selected
              </Button>
            </Box>
          )}
        </>
      )}
    </Box>
  );
}
