/**
 * The `ws(s)://` URL of a preview socket API, from its path on the backend
 * (`/api/stackyard/sockets/<id>/<stage>`) and the stackyard plugin's base URL
 * as discovery gives it (absolute, or relative to the page).
 */
export function previewSocketUrl(
  path: string,
  pluginBaseUrl: string,
  pageUrl: string = window.location.href,
): string {
  const url = new URL(path, new URL(pluginBaseUrl, pageUrl));
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}
