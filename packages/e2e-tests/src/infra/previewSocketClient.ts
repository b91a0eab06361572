import { WebSocket } from 'ws';

/** A real `ws` client of a preview socket, with what it received. */
export type PreviewSocketClient = {
  ws: WebSocket;
  /** Text frames received, oldest first. */
  messages: string[];
  /** Resolves with the close code and reason once the server closes. */
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves with the next text frame received. */
  nextMessage(timeoutMs?: number): Promise<string>;
};

/** Connects to a hosted WebSocket API with its connection key. */
export function openPreviewSocket(
  url: string,
  connectionKey: string,
): Promise<PreviewSocketClient> {
  return new Promise((resolveOpen, reject) => {
    const ws = new WebSocket(url, {
      headers: { 'x-stackyard-connection-key': connectionKey },
    });
    const messages: string[] = [];
    const waiting: ((message: string) => void)[] = [];
    ws.on('message', data => {
      const text = data.toString('utf8');
      messages.push(text);
      waiting.shift()?.(text);
    });
    const closed = new Promise<{ code: number; reason: string }>(done =>
      ws.once('close', (code, reason) =>
        done({ code, reason: reason.toString('utf8') }),
      ),
    );
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`The upgrade of ${url} was refused: ${res.statusCode}`)),
    );
    ws.once('error', reject);
    ws.once('open', () =>
      resolveOpen({
        ws,
        messages,
        closed,
        nextMessage: (timeoutMs = 10_000) =>
          new Promise((done, fail) => {
            const timer = setTimeout(
              () => fail(new Error(`No message within ${timeoutMs} ms`)),
              timeoutMs,
            );
            waiting.push(message => {
              clearTimeout(timer);
              done(message);
            });
          }),
      }),
    );
  });
}
