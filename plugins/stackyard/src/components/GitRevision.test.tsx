import { render, screen } from '@testing-library/react';
import { GitRevision } from './GitRevision';

const sha = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';

describe('GitRevision', () => {
  it('shows the branch and the short commit, the full sha on hover', () => {
    render(<GitRevision branch="feature/wo-42-x" commit={sha} />);
    expect(screen.getByTestId('git-revision')).toHaveTextContent(
      'branch feature/wo-42-x @ 1a2b3c4',
    );
    expect(screen.getByText('1a2b3c4')).toHaveAttribute('title', sha);
  });

  it('labels a commit without a branch', () => {
    render(<GitRevision commit={sha} />);
    expect(screen.getByTestId('git-revision')).toHaveTextContent(
      /^commit 1a2b3c4$/,
    );
  });

  it('shows a branch without a commit', () => {
    render(<GitRevision branch="main" />);
    expect(screen.getByTestId('git-revision')).toHaveTextContent(
      /^branch main$/,
    );
  });

  it('renders nothing without either', () => {
    const { container } = render(<GitRevision />);
    expect(container).toBeEmptyDOMElement();
  });
});
