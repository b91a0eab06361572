import { useState } from 'react';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import RefreshIcon from '@material-ui/icons/Refresh';
import { usePreviewSockets } from '../hooks/usePreviewSockets';
import { ConnectionKeyButton } from './ConnectionKeyButton';
import { PreviewSocketConnections } from './PreviewSocketConnections';
import { FRAMES_SHOWN, PreviewSocketFrames } from './PreviewSocketFrames';
import { PreviewSocketUrl } from './PreviewSocketUrl';

const connectionCount = (count: number) =>
  `${count} live connection${count === 1 ? '' : 's'}`;

/**
 * The preview socket API of an environment: its URL, the live connection
 * count and an inspector (connections, recent frames) that refreshes while
 * it is open. Renders nothing for an environment without one.
 */
export function PreviewSocketPanel(props: {
  environmentId: string;
  /** The environment's entity, whose owners may manage its sockets. */
  entityRef: string;
  /** How often the open inspector refreshes. */
  pollIntervalMs?: number;
}) {
  const { environmentId, entityRef, pollIntervalMs } = props;
  const [open, setOpen] = useState(false);
  const sockets = usePreviewSockets(environmentId, {
    poll: open,
    intervalMs: pollIntervalMs,
    // Only the frames the inspector lists are fetched.
    frames: FRAMES_SHOWN,
  });
  const { inspection, error, loading, refresh } = sockets;
  if (sockets.notFound || (!inspection && !error)) return null;

  const headingId = `preview-socket-${environmentId}`;
  return (
    <Box
      component="section"
      aria-labelledby={headingId}
      aria-busy={loading}
      mt={2}
    >
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <Typography variant="subtitle2" component="h4" id={headingId}>
          Preview socket
        </Typography>
        {inspection && (
          <Typography variant="body2" component="span" aria-live="polite">
            {connectionCount(inspection.connections.length)}
          </Typography>
        )}
        <Button
          size="small"
          startIcon={<RefreshIcon aria-hidden />}
          onClick={refresh}
          aria-label="Refresh preview socket"
        >
          Refresh
        </Button>
        {inspection && (
          <ConnectionKeyButton
            environmentId={environmentId}
            entityRef={entityRef}
          />
        )}
      </Box>
      {loading && <LinearProgress aria-label="Loading preview socket" />}
      {error && (
        <Typography role="alert" color="error" variant="body2">
          Could not load the preview socket: {error.message}
        </Typography>
      )}
      {inspection && (
        <>
          <PreviewSocketUrl path={inspection.path} />
          <Accordion
            expanded={open}
            onChange={(_, expanded) => {
              setOpen(expanded);
              if (expanded) refresh();
            }}
            TransitionProps={{ unmountOnExit: true }}
            variant="outlined"
          >
            <AccordionSummary expandIcon={<ExpandMoreIcon />}>
              <Typography variant="body2">Socket inspector</Typography>
            </AccordionSummary>
            <AccordionDetails style={{ display: 'block' }}>
              <Typography variant="subtitle2" component="h5">
                Connections
              </Typography>
              <PreviewSocketConnections
                environmentId={environmentId}
                entityRef={entityRef}
                connections={inspection.connections}
                onChanged={refresh}
              />
              <Typography variant="subtitle2" component="h5">
                Recent frames
              </Typography>
              <PreviewSocketFrames frames={inspection.recentFrames} />
            </AccordionDetails>
          </Accordion>
        </>
      )}
    </Box>
  );
}
