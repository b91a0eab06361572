import type { EnvironmentStatus } from '@stackyard/plugin-stackyard-common';
import type { PlatformFilters } from '../hooks/usePlatformEnvironments';

/** What the platform page's filter form holds: text as typed, '' for "any". */
export type FilterForm = {
  target: string;
  stage: string;
  status: EnvironmentStatus | '';
  templateName: string;
  costCenter: string;
  /** Hours, as the select's value; '' for any expiry. */
  expiringWithinHours: string;
  entityMissing: boolean;
  drifted: boolean;
};

export const emptyFilterForm: FilterForm = {
  target: '',
  stage: '',
  status: '',
  templateName: '',
  costCenter: '',
  expiringWithinHours: '',
  entityMissing: false,
  drifted: false,
};

/**
 * The query of a filter form: trimmed text, empty fields left out, and the
 * two switches only when on (off means "any", not "only the others").
 */
export function filtersOf(form: FilterForm): PlatformFilters {
  const filters: PlatformFilters = {};
  const text = (value: string) => value.trim() || undefined;
  const set = <K extends keyof PlatformFilters>(
    key: K,
    value: PlatformFilters[K] | undefined,
  ) => {
    if (value !== undefined) filters[key] = value;
  };
  set('target', text(form.target));
  set('stage', text(form.stage));
  set('status', form.status || undefined);
  set('templateName', text(form.templateName));
  set('costCenter', text(form.costCenter));
  set(
    'expiringWithinHours',
    form.expiringWithinHours ? Number(form.expiringWithinHours) : undefined,
  );
  set('entityMissing', form.entityMissing || undefined);
  set('drifted', form.drifted || undefined);
  return filters;
}

/** Whether two filter sets ask for the same environments. */
export function sameFilters(a: PlatformFilters, b: PlatformFilters): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every(
    key => a[key as keyof PlatformFilters] === b[key as keyof PlatformFilters],
  );
}
