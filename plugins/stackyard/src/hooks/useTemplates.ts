import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type {
  TemplateSummary,
  TemplateUpgrade,
} from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';

const active = (upgrade?: TemplateUpgrade) =>
  upgrade?.state === 'queued' || upgrade?.state === 'running';

/**
 * The templates with their versions, entities and changelog; while any
 * upgrade is queued or running the list is read again every
 * `pollIntervalMs`, so each entity's progress and result show as they come.
 */
export function useTemplates(pollIntervalMs = 1500) {
  const api = useApi(stackyardApiRef);
  const [templates, setTemplates] = useState<TemplateSummary[]>();
  const [error, setError] = useState<Error>();
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration(g => g + 1), []);

  useEffect(() => {
    let cancelled = false;
    api.listTemplates().then(
      result => {
        if (cancelled) return;
        setTemplates(result.templates);
        setError(undefined);
      },
      e => {
        if (!cancelled) setError(e);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, generation]);

  const running = (templates ?? []).some(t =>
    t.entities.some(e => active(e.lastUpgrade)),
  );
  useEffect(() => {
    if (!running) return undefined;
    const timer = setTimeout(reload, pollIntervalMs);
    return () => clearTimeout(timer);
  }, [running, templates, reload, pollIntervalMs]);

  /** Starts upgrades of the entities, then shows them as they run. */
  const upgrade = useCallback(
    async (templateName: string, entityRefs: string[]) => {
      await api.startTemplateUpgrades(templateName, entityRefs);
      reload();
    },
    [api, reload],
  );

  return {
    templates,
    loading: !templates && !error,
    error,
    reload,
    upgrade,
  };
}
