import Typography from '@material-ui/core/Typography';
import { discoveryApiRef, useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { previewSocketUrl } from '../lib/socketUrl';

/** The `ws(s)://` URL clients connect to, from the API's path on the backend. */
export function PreviewSocketUrl({ path }: { path: string }) {
  const discoveryApi = useApi(discoveryApiRef);
  const baseUrl = useAsync(
    () => discoveryApi.getBaseUrl('stackyard'),
    [discoveryApi],
  );
  const url = baseUrl.value ? previewSocketUrl(path, baseUrl.value) : path;
  return (
    <Typography variant="body2" component="div">
      URL <code data-testid="preview-socket-url">{url}</code>
    </Typography>
  );
}
