import { useState } from 'react';
import Box from '@material-ui/core/Box';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import { EmptyState, LinkButton, Progress } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import type { Environment } from '@stackyard/plugin-stackyard-common';
import { useEnvironments } from '../hooks/useEnvironments';
import { useLatestTemplateVersions } from '../hooks/useLatestTemplateVersions';
import { EnvironmentList } from './EnvironmentList';
import { TeardownDialog } from './TeardownDialog';

/** The Infra tab: every environment of the current entity. */
export function InfraContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const state = useEnvironments(entityRef);
  const [showDeleted, setShowDeleted] = useState(false);
  // Kept here, not in the card: the card may leave the page (deleted)
  // while the dialog still reports the teardown's end.
  const [tearingDown, setTearingDown] = useState<Environment>();
  const latest = useLatestTemplateVersions(
    state.environments.flatMap(e => (e.templateName ? [e.templateName] : [])),
  );

  if (state.loading && state.environments.length === 0) {
    return <Progress />;
  }
  if (state.error) {
    return (
      <Alert
        severity="error"
        action={<Button onClick={state.reload}>Retry</Button>}
      >
        Could not load the environments of {entityRef}: {state.error.message}
      </Alert>
    );
  }
  const deleted = state.environments.filter(e => e.status === 'deleted');
  const shown = showDeleted
    ? state.environments
    : state.environments.filter(e => e.status !== 'deleted');
  if (state.environments.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No environments yet"
        description="Deploy this service from a Stackyard template, or from its CI, and its stacks appear here."
        action={
          <LinkButton to="/create" variant="contained" color="primary">
            Create a service
          </LinkButton>
        }
      />
    );
  }
  return (
    <>
      {deleted.length > 0 && (
        <Box mb={1}>
          <FormControlLabel
            control={
              <Switch
                checked={showDeleted}
                onChange={e => setShowDeleted(e.target.checked)}
              />
            }
            label={`Show deleted environments (${deleted.length})`}
          />
        </Box>
      )}
      <EnvironmentList
        environments={shown}
        revisions={state.revisions}
        latestTemplateVersions={latest}
        onUpdated={state.update}
        onTeardown={setTearingDown}
      />
      {tearingDown && (
        <TeardownDialog
          environment={tearingDown}
          onClose={() => {
            setTearingDown(undefined);
            state.reload();
          }}
        />
      )}
    </>
  );
}
