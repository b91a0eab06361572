import { useId, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import type { EnvironmentStatus } from '@stackyard/plugin-stackyard-common';
import type { PlatformFilters } from '../../hooks/usePlatformEnvironments';
import {
  emptyFilterForm,
  filtersOf,
  type FilterForm,
} from '../../lib/platformFilters';

/** How long typing pauses before the list is fetched again. */
export const FILTER_DEBOUNCE_MS = 300;

const statuses: [EnvironmentStatus | '', string][] = [
  ['', 'Any status'],
  ['ready', 'Ready'],
  ['deploying', 'Deploying'],
  ['awaiting-approval', 'Awaiting approval'],
  ['failed', 'Failed'],
  ['deleting', 'Deleting'],
  ['deleted', 'Deleted'],
];

const expiries: [string, string][] = [
  ['', 'Any expiry'],
  ['24', 'Within 24 hours'],
  ['72', 'Within 3 days'],
  ['168', 'Within 7 days'],
];

type TextKey = 'target' | 'stage' | 'templateName' | 'costCenter';
const textFields: [TextKey, string][] = [
  ['target', 'Target'],
  ['stage', 'Stage'],
  ['templateName', 'Template'],
  ['costCenter', 'Cost center'],
];

/**
 * The platform page's filters: target, stage, status, template, cost
 * center, expiring soon, and only environments whose entity is missing or
 * that drifted. Reports the query after typing pauses.
 */
export function EnvironmentFilters(props: {
  onChange: (filters: PlatformFilters) => void;
  /** @default FILTER_DEBOUNCE_MS */
  debounceMs?: number;
}) {
  const { onChange, debounceMs = FILTER_DEBOUNCE_MS } = props;
  const [form, setForm] = useState<FilterForm>(emptyFilterForm);
  // Ids tie each label to its field.
  const id = useId();
  useDebounce(() => onChange(filtersOf(form)), debounceMs, [form]);
  const set = <K extends keyof FilterForm>(key: K, value: FilterForm[K]) =>
    setForm(current => ({ ...current, [key]: value }));

  return (
    <Box
      component="form"
      role="search"
      aria-label="Filter environments"
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      style={{ gap: 16 }}
      mb={2}
      onSubmit={e => e.preventDefault()}
    >
      {textFields.map(([key, label]) => (
        <TextField
          key={key}
          id={`${id}-${key}`}
          label={label}
          size="small"
          variant="outlined"
          value={form[key]}
          onChange={e => set(key, e.target.value)}
        />
      ))}
      <TextField
        select
        id={`${id}-status`}
        label="Status"
        size="small"
        variant="outlined"
        style={{ minWidth: 140 }}
        value={form.status}
        onChange={e => set('status', e.target.value as FilterForm['status'])}
      >
        {statuses.map(([value, label]) => (
          <MenuItem key={value} value={value}>
            {label}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        id={`${id}-expiring`}
        label="Expiring"
        size="small"
        variant="outlined"
        style={{ minWidth: 160 }}
        value={form.expiringWithinHours}
        onChange={e => set('expiringWithinHours', e.target.value)}
      >
        {expiries.map(([value, label]) => (
          <MenuItem key={value} value={value}>
            {label}
          </MenuItem>
        ))}
      </TextField>
      <FormControlLabel
        control={
          <Checkbox
            checked={form.entityMissing}
            onChange={e => set('entityMissing', e.target.checked)}
          />
        }
        label="Entity missing from the catalog"
      />
      <FormControlLabel
        control={
          <Checkbox
            checked={form.drifted}
            onChange={e => set('drifted', e.target.checked)}
          />
        }
        label="Drifted"
      />
    </Box>
  );
}
