import { useId, useState, type ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  stackyardDeployApprovePermission,
  type Approval,
  type Environment,
} from '@stackyard/plugin-stackyard-common';
import useAsync from 'react-use/esm/useAsync';
import { stackyardApiRef } from '../api/StackyardApi';
import { BlockableButton } from './BlockableButton';
import { Timestamp } from './Timestamp';

const useStyles = makeStyles(theme => ({
  // Rendered values keep their line breaks (one resource or action a line).
  value: { whiteSpace: 'pre-line', wordBreak: 'break-word' },
  added: { color: theme.palette.error.main, fontWeight: 'bold' },
  removed: { color: theme.palette.success.main, fontWeight: 'bold' },
}));

/** One table of the diff; nothing when it has no rows. */
function DiffTable<T>(props: {
  title: string;
  rows: readonly T[];
  columns: readonly [string, (row: T) => string][];
  change?: (row: T) => 'added' | 'removed';
}) {
  const classes = useStyles();
  if (props.rows.length === 0) return null;
  return (
    <Box my={1}>
      <Typography variant="subtitle2" component="h5">
        {props.title}
      </Typography>
      <Table size="small" aria-label={props.title}>
        <TableHead>
          <TableRow>
            {props.change && <TableCell>Change</TableCell>}
            {props.columns.map(([name]) => (
              <TableCell key={name}>{name}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {props.rows.map((row, i) => {
            const change = props.change?.(row);
            return (
              <TableRow key={i} data-testid="approval-diff-row">
                {change && (
                  <TableCell className={classes[change]}>
                    {change === 'added' ? '+ added' : '− removed'}
                  </TableCell>
                )}
                {props.columns.map(([name, value]) => (
                  <TableCell key={name} className={classes.value}>
                    {value(row) || '—'}
                  </TableCell>
                ))}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Box>
  );
}

/** The diff an approver reviews, as tables of data (never markup from strings). */
export function ApprovalDiffTables(props: { approval: Approval }) {
  const { diff } = props.approval;
  const change = (r: { change: 'added' | 'removed' }) => r.change;
  return (
    <>
      <DiffTable
        title="IAM statements"
        rows={diff.iamStatements}
        change={change}
        columns={[
          ['Resource', r => r.resource],
          ['Effect', r => r.effect],
          ['Action', r => r.action],
          ['Principal', r => r.principal],
          ['Condition', r => r.condition],
        ]}
      />
      <DiffTable
        title="Managed policies"
        rows={diff.managedPolicies}
        change={change}
        columns={[
          ['Attached to', r => r.resource],
          ['Managed policy', r => r.managedPolicyArn],
        ]}
      />
      <DiffTable
        title="Security-group rules"
        rows={diff.securityGroupRules}
        change={change}
        columns={[
          ['Group', r => r.group],
          ['Direction', r => r.direction],
          ['Protocol', r => r.protocol],
          ['Peer', r => r.peer],
        ]}
      />
      <DiffTable
        title="Replaced resources"
        rows={diff.replacedResources}
        columns={[
          ['Resource', r => r.logicalId],
          ['Type', r => r.resourceType],
          [
            'Replacement',
            r => (r.impact === 'replace' ? 'replaced' : 'may be replaced'),
          ],
        ]}
      />
    </>
  );
}

/** Approve and Reject for an approver who did not start the deploy. */
function Decision(props: {
  environment: Environment;
  approval: Approval;
  onDecided: (environment: Environment) => void;
}) {
  const { environment, approval } = props;
  const api = useApi(stackyardApiRef);
  const identityApi = useApi(identityApiRef);
  const identity = useAsync(
    async () => (await identityApi.getBackstageIdentity()).userEntityRef,
    [identityApi],
  );
  const permission = usePermission({
    permission: stackyardDeployApprovePermission,
    resourceRef: environment.entityRef,
  });
  const commentId = useId();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  if (identity.loading) return null;
  // Four eyes: whoever started the deploy gets no button (the backend
  // refuses them too).
  if (identity.value?.toLocaleLowerCase('en-US') === approval.requestedBy) {
    return (
      <Typography variant="body2" data-testid="approval-own-deploy">
        You started this deploy, so another approver has to review it.
      </Typography>
    );
  }
  let reason: string | undefined;
  if (permission.loading) reason = 'Checking your permissions…';
  else if (!permission.allowed) {
    reason =
      'Only members of the approver groups (stackyard.approvals.approverGroups) can approve or reject deploys';
  } else if (busy) reason = 'Sending your decision…';

  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    setError(undefined);
    try {
      await api.decideApproval(environment.id, {
        decision,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      props.onDecided((await api.getEnvironment(environment.id)).environment);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" style={{ gap: 8 }}>
      <TextField
        id={commentId}
        size="small"
        variant="outlined"
        label="Comment (optional)"
        value={comment}
        onChange={e => setComment(e.target.value.slice(0, 2000))}
      />
      <BlockableButton
        reason={reason}
        variant="contained"
        color="primary"
        size="small"
        onClick={() => decide('approve')}
      >
        Approve and deploy
      </BlockableButton>
      <BlockableButton
        reason={reason}
        variant="outlined"
        size="small"
        onClick={() => decide('reject')}
      >
        Reject
      </BlockableButton>
      {error && (
        <Alert severity="error" style={{ width: '100%' }}>
          {error}
        </Alert>
      )}
    </Box>
  );
}

/**
 * A deploy waiting for approval: who started it, the change set's diff
 * (IAM statements, managed policies, security-group rules, replaced
 * resources), and for approvers other than the initiator, Approve (the
 * backend executes that change set) and Reject (it is deleted).
 */
export function ApprovalPanel(props: {
  environment: Environment;
  onDecided: (environment: Environment) => void;
}) {
  const { environment } = props;
  const api = useApi(stackyardApiRef);
  const waiting = environment.status === 'awaiting-approval';
  const approval = useAsync(
    async () => (waiting ? api.getApproval(environment.id) : undefined),
    [api, environment.id, waiting, environment.updatedAt],
  );
  if (!waiting) return null;
  let body: ReactNode;
  if (approval.error) {
    body = (
      <Alert severity="error">
        Could not load the change to review: {approval.error.message}
      </Alert>
    );
  } else if (!approval.value) {
    body = <Typography variant="body2">Loading the change…</Typography>;
  } else {
    body = (
      <>
        <Typography variant="body2">
          Started by {approval.value.requestedBy}{' '}
          <Timestamp iso={approval.value.requestedAt} /> · change set{' '}
          <code>{approval.value.changeSetName}</code>
        </Typography>
        <ApprovalDiffTables approval={approval.value} />
        {approval.value.state === 'pending' && (
          <Decision
            environment={environment}
            approval={approval.value}
            onDecided={props.onDecided}
          />
        )}
      </>
    );
  }
  return (
    <Box my={1} data-testid="approval-panel">
      <Alert severity="warning">
        This deploy broadens IAM or security-group permissions: its change set
        waits, unexecuted, for an approver.
      </Alert>
      {body}
    </Box>
  );
}
