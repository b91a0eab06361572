import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { Content, Header, Page } from '@backstage/core-components';
import { useSearchParams } from 'react-router-dom';
import { useTemplates } from '../../hooks/useTemplates';
import { TemplateSection } from './TemplateSection';

/**
 * The Templates page's content: per template its versions, the entities on
 * each, the changelog, and upgrades of entities to the current version.
 * `?entity=<ref>` (the Infra tab's badge) marks and preselects one entity.
 * The new frontend system's page supplies the header.
 */
export function TemplatesContent(props: { pollIntervalMs?: number }) {
  const { templates, loading, error, reload, upgrade } = useTemplates(
    props.pollIntervalMs,
  );
  const [params] = useSearchParams();
  const focus = params.get('entity')?.toLocaleLowerCase('en-US') ?? undefined;
  return (
    <Content>
      <Typography variant="body2" color="textSecondary" paragraph>
        An upgrade renders the template's current version with the answers the
        service was created with and merges it into a{' '}
        <code>stackyard/upgrade-&lt;version&gt;</code> branch of its repository
        with git's three-way merge; the default branch is never touched.
      </Typography>
      {loading && <LinearProgress aria-label="Loading templates" />}
      {error && (
        <Alert
          severity="error"
          action={<Button onClick={reload}>Retry</Button>}
        >
          Could not load the templates: {error.message}
        </Alert>
      )}
      {templates?.length === 0 && (
        <Typography variant="body2" role="status">
          No Stackyard template is in the catalog (Template entities with a
          stackyard.io/template-version annotation).
        </Typography>
      )}
      {templates?.map(template => (
        <TemplateSection
          key={template.name}
          template={template}
          focusEntityRef={focus}
          onUpgrade={refs => upgrade(template.name, refs)}
        />
      ))}
    </Content>
  );
}

/** The Templates page with its own header (legacy frontend system). */
export function TemplatesPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Stackyard templates"
        subtitle="Versions, the services made from them, and upgrades"
      />
      <TemplatesContent />
    </Page>
  );
}
