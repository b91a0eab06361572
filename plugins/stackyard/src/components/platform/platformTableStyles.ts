import { makeStyles } from '@material-ui/core/styles';

/** The platform page's tables: headers, stack names and actions on one line. */
export const usePlatformTableStyles = makeStyles({
  table: { '& th': { whiteSpace: 'nowrap' } },
  nowrap: { whiteSpace: 'nowrap' },
});
