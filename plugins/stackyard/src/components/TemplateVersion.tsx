import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import NewReleasesIcon from '@material-ui/icons/NewReleases';
import { Link } from '@backstage/core-components';
import { templatesPageLink } from '../routes';
import { compareVersions } from '@stackyard/plugin-stackyard-common';

/**
 * Template name and version, with a badge when a newer version exists; the
 * badge opens the entity's upgrade on the Templates page.
 */
export function TemplateVersion(props: {
  name?: string;
  version?: string;
  latest?: string;
  /** The entity whose upgrade the badge opens. */
  entityRef?: string;
}) {
  const { name, version, latest, entityRef } = props;
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
          <Link
            to={templatesPageLink(entityRef)}
            aria-label={`Newer version ${latest} available: open the upgrade`}
          >
            <Chip
              size="small"
              color="secondary"
              clickable
              icon={<NewReleasesIcon aria-hidden />}
              label={`Newer version ${latest} available`}
            />
          </Link>
        </>
      )}
    </Typography>
  );
}
