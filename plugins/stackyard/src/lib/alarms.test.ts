import type { EnvironmentAlarm } from '@stackyard/plugin-stackyard-common';
import { countAlarms, sortAlarms } from './alarms';

const alarm = (name: string, state: EnvironmentAlarm['state']) =>
  ({ name, state, type: 'metric' } as EnvironmentAlarm);

describe('alarms', () => {
  const alarms = [
    alarm('b-ok', 'OK'),
    alarm('c-data', 'INSUFFICIENT_DATA'),
    alarm('z-alarm', 'ALARM'),
    alarm('a-alarm', 'ALARM'),
  ];

  it('sorts the most severe first, then by name', () => {
    expect(sortAlarms(alarms).map(a => a.name)).toEqual([
      'a-alarm',
      'z-alarm',
      'c-data',
      'b-ok',
    ]);
  });

  it('counts alarms per state', () => {
    expect(countAlarms(alarms)).toEqual({
      ALARM: 2,
      INSUFFICIENT_DATA: 1,
      OK: 1,
    });
  });
});
