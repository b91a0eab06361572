import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { Link } from '@backstage/core-components';
import type {
  TemplateUpgrade,
  TemplateUpgradeState,
} from '@stackyard/plugin-stackyard-common';

const labels: Record<TemplateUpgradeState, string> = {
  queued: 'Queued',
  running: 'Running',
  merged: 'Merged',
  conflicts: 'Merged with conflicts',
  failed: 'Failed',
};

const outcome = (passed: boolean | undefined, what: string) =>
  passed === undefined
    ? `${what} not run`
    : `${what} ${passed ? 'passed' : 'failed'}`;

/**
 * One entity's last upgrade: its state and, while it runs, the current
 * step; once done the branch, the files left with conflict markers, the
 * tests and policy outcome and the pull request, or why it failed.
 */
export function UpgradeResult(props: { upgrade: TemplateUpgrade }) {
  const { upgrade } = props;
  const done = upgrade.state !== 'queued' && upgrade.state !== 'running';
  return (
    <div data-testid="upgrade-result">
      <Chip
        size="small"
        label={`${labels[upgrade.state]} (${upgrade.toVersion})`}
        color={upgrade.state === 'failed' ? 'secondary' : 'default'}
      />
      {!done && upgrade.progress.length > 0 && (
        <Typography variant="caption" display="block" role="status">
          {upgrade.progress[upgrade.progress.length - 1]}
        </Typography>
      )}
      {upgrade.branch && (
        <Typography variant="caption" display="block">
          Branch <code>{upgrade.branch}</code>
          {upgrade.state !== 'failed' &&
            ` · ${outcome(upgrade.testsPassed, 'tests')} · ${outcome(
              upgrade.policyPassed,
              'policy',
            )}`}
        </Typography>
      )}
      {upgrade.conflicts.length > 0 && (
        <Typography variant="caption" display="block">
          Conflicts in {upgrade.conflicts.join(', ')}
        </Typography>
      )}
      {upgrade.pullRequestUrl && (
        <Typography variant="caption" display="block">
          <Link to={upgrade.pullRequestUrl}>Pull request</Link>
        </Typography>
      )}
      {upgrade.error && (
        <Typography variant="caption" display="block" color="error">
          {upgrade.error}
        </Typography>
      )}
    </div>
  );
}
