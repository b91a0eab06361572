import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import type { CursorPagesState } from '../../hooks/useCursorPages';

/** Previous / Next through a cursor-paginated list, with the page number. */
export function CursorPager(props: {
  pages: Pick<
    CursorPagesState<unknown>,
    'page' | 'hasPrevious' | 'hasNext' | 'previous' | 'next'
  >;
  /** Names the navigation for screen readers, e.g. "Environment pages". */
  label: string;
}) {
  const { pages, label } = props;
  if (!pages.hasPrevious && !pages.hasNext) return null;
  return (
    <Box
      component="nav"
      aria-label={label}
      display="flex"
      alignItems="center"
      style={{ gap: 8 }}
      mt={1}
    >
      <Button
        size="small"
        disabled={!pages.hasPrevious}
        onClick={pages.previous}
      >
        Previous page
      </Button>
      <Typography variant="body2">Page {pages.page}</Typography>
      <Button size="small" disabled={!pages.hasNext} onClick={pages.next}>
        Next page
      </Button>
    </Box>
  );
}
