import {
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import type { EnvironmentAlarm } from '@stackyard/plugin-stackyard-common';

/** An alarm state as a coloured marker plus words. */
export function AlarmState({ state }: { state: EnvironmentAlarm['state'] }) {
  switch (state) {
    case 'ALARM':
      return <StatusError>In alarm</StatusError>;
    case 'INSUFFICIENT_DATA':
      return <StatusWarning>Insufficient data</StatusWarning>;
    default:
      return <StatusOK>OK</StatusOK>;
  }
}
