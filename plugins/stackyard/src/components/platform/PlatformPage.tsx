import { Content, Header, Page } from '@backstage/core-components';
import { CostCentersSection } from './CostCentersSection';
import { OrphansSection } from './OrphansSection';
import { PlatformEnvironmentsSection } from './PlatformEnvironmentsSection';

/**
 * The platform page's content: every environment across entities, with
 * filters, and the orphan stacks. The new frontend system's page supplies
 * the header.
 */
export function PlatformContent() {
  return (
    <Content>
      <PlatformEnvironmentsSection />
      <CostCentersSection />
      <OrphansSection />
    </Content>
  );
}

/** The platform page with its own header (legacy frontend system). */
export function PlatformPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Stackyard"
        subtitle="Every environment of every service, and orphan stacks"
      />
      <PlatformContent />
    </Page>
  );
}
