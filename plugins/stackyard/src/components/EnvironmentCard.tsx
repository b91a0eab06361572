import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import ComputerIcon from '@material-ui/icons/Computer';
import { Link } from '@backstage/core-components';
import type { Environment } from '@stackyard/plugin-stackyard-common';
import { stackConsoleUrl } from '../lib/consoleLinks';
import { useEnvironmentDetails } from '../hooks/useEnvironmentDetails';
import { AlarmsList } from './AlarmsList';
import { ApprovalPanel } from './ApprovalPanel';
import { CostPanel } from './CostPanel';
import { DeployedBy } from './DeployedBy';
import { DriftMark, DriftPanel } from './DriftPanel';
import { EventsList } from './EventsList';
import { GitRevision } from './GitRevision';
import { LastOperation } from './LastOperation';
import { LocalPreviewPanel } from './LocalPreviewPanel';
import { OutputsTable } from './OutputsTable';
import { PreviewExpiry } from './PreviewExpiry';
import { PreviewSocketPanel } from './PreviewSocketPanel';
import { ResourcesTable } from './ResourcesTable';
import { StatusBadge } from './StatusBadge';
import { TeardownButton } from './TeardownButton';
import { TemplateVersion } from './TemplateVersion';
import { Timestamp } from './Timestamp';

/**
 * The backend hosts WebSocket APIs for environments of local targets only;
 * the deploy action records a `WebSocketRoutes` output for those that have
 * one, so other environments cost no request.
 */
const hasPreviewSockets = (environment: Environment) =>
  environment.targetType === 'local' &&
  environment.status !== 'deleted' &&
  'WebSocketRoutes' in (environment.outputs ?? {});

/**
 * Local previews deployed with their commit run the service's functions
 * (older ones recorded none, and a service of containers only records
 * `RunsLocally: nothing`, so there is nothing to run).
 */
const isRunnablePreview = (environment: Environment) =>
  environment.targetType === 'local' &&
  environment.status !== 'deleted' &&
  environment.status !== 'deleting' &&
  Boolean(environment.commit) &&
  environment.outputs?.RunsLocally !== 'nothing';

/**
 * What a local preview does not run (containers, databases, caches, HTTP API
 * routes), as the deploy action recorded it: only synthesized and checked.
 */
function NotRunLocally(props: { environment: Environment }) {
  const { environment } = props;
  const notRun = environment.outputs?.NotRunLocally;
  if (environment.targetType !== 'local' || !notRun) return null;
  const runs = environment.outputs?.RunsLocally;
  return (
    <Typography variant="body2" data-testid="not-run-locally">
      Not run locally: {notRun}. They are synthesized and checked against the
      safety policy only
      {runs && runs !== 'nothing'
        ? `; the preview runs its ${runs}.`
        : '; nothing of this service runs in the local preview.'}
    </Typography>
  );
}

/**
 * One environment: status, where it came from (branch, commit, who
 * deployed it), activity, drift, outputs, resources, alarms, preview
 * socket, events, teardown.
 */
export function EnvironmentCard(props: {
  environment: Environment;
  revision: number;
  latestTemplateVersion?: string;
  onUpdated: (environment: Environment) => void;
  onTeardown: (environment: Environment) => void;
}) {
  const { environment, revision, latestTemplateVersion } = props;
  const details = useEnvironmentDetails(environment.id, revision);
  const consoleUrl = stackConsoleUrl(environment);
  const headingId = `environment-${environment.id}`;
  return (
    <Paper
      component="section"
      variant="outlined"
      aria-labelledby={headingId}
      data-testid="environment-card"
    >
      <Box p={2}>
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 8 }}
        >
          <Typography variant="h6" component="h3" id={headingId}>
            {environment.stackName}
          </Typography>
          <StatusBadge
            status={environment.status}
            stackStatus={environment.stackStatus}
            reason={environment.statusReason}
          />
          <DriftMark drift={environment.drift} />
          {environment.targetType === 'local' ? (
            <Chip
              size="small"
              icon={<ComputerIcon aria-hidden />}
              label="local preview — not deployed to AWS"
            />
          ) : (
            <Typography variant="body2" component="span">
              {environment.target} · {environment.accountId ?? 'account ?'} ·{' '}
              {environment.region ?? 'region ?'}
            </Typography>
          )}
          <Box flexGrow={1} />
          <TeardownButton
            environment={environment}
            onTeardown={props.onTeardown}
          />
        </Box>
        <Typography variant="body2" component="div">
          Stage {environment.stage}
          {(environment.branch || environment.commit) && (
            <>
              {' · '}
              <GitRevision
                branch={environment.branch}
                commit={environment.commit}
              />
            </>
          )}
          {' · '}
          <DeployedBy environment={environment} /> · updated{' '}
          <Timestamp iso={environment.updatedAt} />
          {consoleUrl && (
            <>
              {' · '}
              <Link to={consoleUrl} target="_blank" rel="noopener noreferrer">
                Open in the CloudFormation console
              </Link>
            </>
          )}
        </Typography>
        {details.value ? (
          <LastOperation
            operation={details.value.operations[0]}
            awaitingApproval={environment.status === 'awaiting-approval'}
          />
        ) : null}
        <TemplateVersion
          name={environment.templateName}
          version={environment.templateVersion}
          latest={latestTemplateVersion}
          entityRef={environment.entityRef}
        />
        <NotRunLocally environment={environment} />
        <PreviewExpiry environment={environment} onExtended={props.onUpdated} />
        <ApprovalPanel environment={environment} onDecided={props.onUpdated} />
        <DriftPanel environment={environment} />
        <CostPanel environment={environment} />
        <Grid container spacing={2}>
          <Grid item xs={12} md={6}>
            <Typography variant="subtitle2" component="h4">
              Outputs
            </Typography>
            <OutputsTable outputs={environment.outputs} />
          </Grid>
          <Grid item xs={12} md={6}>
            <Typography variant="subtitle2" component="h4">
              Alarms
            </Typography>
            <AlarmsList environment={environment} />
          </Grid>
          <Grid item xs={12}>
            <Typography variant="subtitle2" component="h4">
              Resources
            </Typography>
            <ResourcesTable environment={environment} revision={revision} />
          </Grid>
        </Grid>
        {hasPreviewSockets(environment) && (
          <PreviewSocketPanel
            environmentId={environment.id}
            entityRef={environment.entityRef}
          />
        )}
        {isRunnablePreview(environment) && (
          <LocalPreviewPanel
            environmentId={environment.id}
            entityRef={environment.entityRef}
          />
        )}
      </Box>
      <Accordion TransitionProps={{ unmountOnExit: true }} elevation={0}>
        <AccordionSummary expandIcon={<ExpandMoreIcon />}>
          <Typography variant="subtitle2">Recent stack events</Typography>
        </AccordionSummary>
        <AccordionDetails style={{ display: 'block' }}>
          {details.error && (
            <Typography role="alert" color="error" variant="body2">
              Could not load events: {details.error.message}
            </Typography>
          )}
          {details.value && <EventsList events={details.value.recentEvents} />}
          {details.loading && !details.value && (
            <Typography variant="body2">Loading events…</Typography>
          )}
        </AccordionDetails>
      </Accordion>
    </Paper>
  );
}
