import { render, screen } from '@testing-library/react';
import { anEnvironment } from '../__testUtils__/fixtures';
import { DISCOVERY_ACTOR } from '@stackyard/plugin-stackyard-common';
import { DeployedBy } from './DeployedBy';

describe('DeployedBy', () => {
  it("names the portal user's entity ref", () => {
    render(
      <DeployedBy
        environment={anEnvironment({ createdBy: 'user:default/guest' })}
      />,
    );
    expect(screen.getByTestId('deployed-by')).toHaveTextContent(
      'created by user:default/guest',
    );
  });

  it('says a discovered AWS stack was discovered, its account and region on hover', () => {
    render(
      <DeployedBy
        environment={anEnvironment({ createdBy: DISCOVERY_ACTOR })}
      />,
    );
    const deployedBy = screen.getByTestId('deployed-by');
    expect(deployedBy).toHaveTextContent(/^discovered in AWS$/);
    expect(deployedBy).not.toHaveTextContent(DISCOVERY_ACTOR);
    expect(deployedBy).toHaveAttribute(
      'title',
      expect.stringContaining('account 123456789012 in eu-west-1'),
    );
  });

  it('names the target when it has no account and region', () => {
    render(
      <DeployedBy
        environment={anEnvironment({
          createdBy: DISCOVERY_ACTOR,
          targetType: 'local',
          target: 'local',
          accountId: undefined,
          region: undefined,
        })}
      />,
    );
    expect(screen.getByTestId('deployed-by')).toHaveTextContent(
      /^discovered in local$/,
    );
  });
});
