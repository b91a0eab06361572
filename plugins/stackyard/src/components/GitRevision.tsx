/** How many characters of a commit sha the card shows, as git does. */
export const SHORT_SHA_LENGTH = 7;

/**
 * The branch and commit an environment was deployed from, e.g.
 * "branch feature/wo-42 @ 1a2b3c4" (full sha on hover); nothing when the
 * deployment recorded neither.
 */
export function GitRevision(props: { branch?: string; commit?: string }) {
  const { branch, commit } = props;
  if (!branch && !commit) return null;
  return (
    <span data-testid="git-revision">
      {branch && (
        <>
          branch <code>{branch}</code>
        </>
      )}
      {branch && commit && ' @ '}
      {commit && (
        <>
          {branch ? '' : 'commit '}
          <code title={commit}>{commit.slice(0, SHORT_SHA_LENGTH)}</code>
        </>
      )}
    </span>
  );
}
