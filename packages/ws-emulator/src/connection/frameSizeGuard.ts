import type { Duplex } from 'node:stream';

/**
 * Watches the raw bytes a client sends after the upgrade and reports the
 * first data frame whose payload is larger than `maxFrameBytes` (API
 * Gateway's per-frame limit; `ws` itself only limits whole messages).
 * Only frame headers are parsed; payloads are skipped.
 *
 * The listener is prepended so the violation is seen before `ws` handles
 * the same bytes; `onViolation` also gets how many complete data messages
 * preceded the oversized frame, so exactly those can still be handled.
 *
 * @returns a function that detaches the guard.
 */
export function attachFrameSizeGuard(
  socket: Duplex,
  maxFrameBytes: number,
  onViolation: (payloadLength: number, messagesBefore: number) => void,
): () => void {
  const header = Buffer.alloc(14);
  let headerLength = 0;
  let headerNeeded = 2;
  let skip = 0;
  let violated = false;
  let messages = 0;

  const onData = (chunk: Buffer) => {
    let i = 0;
    while (i < chunk.length && !violated) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - i);
        skip -= n;
        i += n;
        continue;
      }
      header[headerLength++] = chunk[i++];
      if (headerLength === 2) {
        const len7 = header[1] & 0x7f;
        const masked = (header[1] & 0x80) !== 0;
        let extended = 0;
        if (len7 === 126) {
          extended = 2;
        } else if (len7 === 127) {
          extended = 8;
        }
        headerNeeded = 2 + extended + (masked ? 4 : 0);
      }
      if (headerLength < headerNeeded) {
        continue;
      }
      const len7 = header[1] & 0x7f;
      let length: number;
      if (len7 === 126) {
        length = header.readUInt16BE(2);
      } else if (len7 === 127) {
        length = Number(header.readBigUInt64BE(2));
      } else {
        length = len7;
      }
      const opcode = header[0] & 0x0f;
      if (opcode < 0x8 && length > maxFrameBytes) {
        violated = true;
        onViolation(length, messages);
        return;
      }
      if (opcode < 0x8 && (header[0] & 0x80) !== 0) {
        messages++;
      }
      skip = length;
      headerLength = 0;
      headerNeeded = 2;
    }
  };
  socket.prependListener('data', onData);
  return () => socket.removeListener('data', onData);
}
