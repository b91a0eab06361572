import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import NewReleasesIcon from '@material-ui/icons/NewReleases';
import { compareVersions } from '../lib/versions';

/** Template name and version, with a badge when a newer version exists. */
export function TemplateVersion(props: {
  name?: string;
  version?: string;
  latest?: string;
}) {
  const { name, version, latest } = props;
  if (!name) return null;
  const newer =
    version && latest ? compareVersions(latest, version) === 1 : false;
  return (
    <Typography variant="body2" component="span" data-testid="template-version">
      Template {name}
      {version ? ` ${version}` : ''}
      {newer && (
        <>
          {' '}
          <Chip
            size="small"
            color="secondary"
            icon={<NewReleasesIcon aria-hidden />}
            label={`Newer version ${latest} available`}
          />
        </>
      )}
    </Typography>
  );
}
