import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: { width: 'auto', height: 28 },
  layer: { fill: '#7df3e1' },
});

/** Three stacked layers: Stackyard's mark. */
export const LogoIcon = () => {
  const classes = useStyles();
  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 32 32"
      role="img"
      aria-label="Stackyard"
    >
      <path className={classes.layer} d="M16 2 30 9 16 16 2 9z" />
      <path
        className={classes.layer}
        d="M5 14.5 16 20 27 14.5 30 16 16 23 2 16z"
        opacity="0.8"
      />
      <path
        className={classes.layer}
        d="M5 21.5 16 27 27 21.5 30 23 16 30 2 23z"
        opacity="0.6"
      />
    </svg>
  );
};
