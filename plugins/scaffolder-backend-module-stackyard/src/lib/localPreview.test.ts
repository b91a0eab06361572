import type { ServiceManifest } from '@stackyard/cdk-guardrails';
import {
  LOCAL_CONTAINERS_LABEL,
  LOCAL_PREVIEW_LABEL,
  localPreviewNotes,
} from './localPreview';

const service = {
  name: 's',
  project: 's',
  costCenter: 'cc',
  owner: 'component:default/s',
};
const fn = {
  handler: 'index.handler',
  inline: 'x',
  timeout: 3,
  memorySize: 128,
  reservedConcurrency: 1,
};
const container = { image: { repository: 's' } };

describe('localPreviewNotes', () => {
  it('records nothing more for a service of functions only', () => {
    expect(
      localPreviewNotes({
        service,
        functions: { a: fn },
      } as unknown as ServiceManifest),
    ).toEqual({ statusReason: LOCAL_PREVIEW_LABEL, outputs: {} });
  });

  it('names the functions that run beside the containers that do not', () => {
    expect(
      localPreviewNotes({
        service,
        functions: { intake: fn },
        containers: { api: container },
        caches: { queue: {} },
      } as unknown as ServiceManifest),
    ).toEqual({
      statusReason: LOCAL_CONTAINERS_LABEL,
      outputs: {
        NotRunLocally: 'containers api; caches queue',
        RunsLocally: 'functions intake',
      },
    });
  });

  it('says which data stores are not run when there are no containers', () => {
    expect(
      localPreviewNotes({
        service,
        databases: { main: {} },
      } as unknown as ServiceManifest),
    ).toEqual({
      statusReason: `${LOCAL_PREVIEW_LABEL}; databases main are not run locally`,
      outputs: { NotRunLocally: 'databases main', RunsLocally: 'nothing' },
    });
  });

  it('says HTTP API routes are not served, while their functions run', () => {
    expect(
      localPreviewNotes({
        service,
        functions: { intake: fn, worker: fn },
        http: { routes: { 'POST /jobs': 'intake' } },
      } as unknown as ServiceManifest),
    ).toEqual({
      statusReason: `${LOCAL_PREVIEW_LABEL}; HTTP API routes POST /jobs are not run locally`,
      outputs: {
        NotRunLocally: 'HTTP API routes POST /jobs',
        RunsLocally: 'functions intake, worker',
      },
    });
  });
});
