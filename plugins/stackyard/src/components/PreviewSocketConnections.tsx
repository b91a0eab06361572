import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  stackyardEnvironmentSocketManagePermission,
  type PreviewSocketConnection,
} from '@stackyard/plugin-stackyard-common';
import { DisconnectButton } from './DisconnectButton';
import { OwnersOnlyButton } from './OwnersOnlyButton';
import { SendSocketMessageDialog } from './SendSocketMessageDialog';
import { Timestamp } from './Timestamp';

/**
 * The open connections of a preview socket API, each with "send a test
 * message" and "disconnect" (for the entity's owners); `onChanged` follows
 * either.
 */
export function PreviewSocketConnections(props: {
  environmentId: string;
  /** The environment's entity, whose owners may manage its sockets. */
  entityRef: string;
  connections: PreviewSocketConnection[];
  onChanged: () => void;
}) {
  const { environmentId, entityRef, connections, onChanged } = props;
  const [messaging, setMessaging] = useState<string>();
  if (connections.length === 0) {
    return <Typography variant="body2">No open connections.</Typography>;
  }
  return (
    <>
      <Table size="small" aria-label="Live connections">
        <TableHead>
          <TableRow>
            <TableCell>Connection</TableCell>
            <TableCell>Connected</TableCell>
            <TableCell>Last active</TableCell>
            <TableCell>Source</TableCell>
            <TableCell>Actions</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {connections.map(connection => (
            <TableRow
              key={connection.connectionId}
              data-testid="socket-connection"
            >
              <TableCell component="th" scope="row">
                <code>{connection.connectionId}</code>
              </TableCell>
              <TableCell>
                <Timestamp iso={connection.connectedAt} />
              </TableCell>
              <TableCell>
                {connection.lastActiveAt ? (
                  <Timestamp iso={connection.lastActiveAt} />
                ) : (
                  '—'
                )}
              </TableCell>
              <TableCell>
                {connection.sourceIp ?? ''}
                {connection.userAgent && (
                  <Typography variant="caption" display="block">
                    {connection.userAgent}
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
                  <OwnersOnlyButton
                    permission={stackyardEnvironmentSocketManagePermission}
                    entityRef={entityRef}
                    ownersCan="send messages to its preview sockets"
                    size="small"
                    variant="outlined"
                    aria-label={`Send test message to ${connection.connectionId}`}
                    onClick={() => setMessaging(connection.connectionId)}
                  >
                    Send test message
                  </OwnersOnlyButton>
                  <DisconnectButton
                    environmentId={environmentId}
                    entityRef={entityRef}
                    connectionId={connection.connectionId}
                    onDisconnected={onChanged}
                  />
                </Box>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {messaging && (
        <SendSocketMessageDialog
          environmentId={environmentId}
          connectionId={messaging}
          onClose={() => setMessaging(undefined)}
          onSent={onChanged}
        />
      )}
    </>
  );
}
