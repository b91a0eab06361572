import type { EnvironmentAlarm } from '@stackyard/plugin-stackyard-common';

const severity: Record<EnvironmentAlarm['state'], number> = {
  ALARM: 0,
  INSUFFICIENT_DATA: 1,
  OK: 2,
};

/** Most severe first (ALARM, INSUFFICIENT_DATA, OK), then by name. */
export function sortAlarms(alarms: EnvironmentAlarm[]): EnvironmentAlarm[] {
  return [...alarms].sort(
    (a, b) =>
      severity[a.state] - severity[b.state] || a.name.localeCompare(b.name),
  );
}

/** How many alarms are in each state. */
export function countAlarms(
  alarms: EnvironmentAlarm[],
): Record<EnvironmentAlarm['state'], number> {
  const counts = { ALARM: 0, INSUFFICIENT_DATA: 0, OK: 0 };
  for (const alarm of alarms) counts[alarm.state] += 1;
  return counts;
}
