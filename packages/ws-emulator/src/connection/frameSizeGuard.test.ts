import { PassThrough } from 'node:stream';
import { attachFrameSizeGuard } from './frameSizeGuard';

function frame(opcode: number, length: number, fin = true): Buffer {
  let head: Buffer;
  if (length < 126) {
    head = Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | length]);
  } else if (length < 65536) {
    head = Buffer.alloc(4);
    head[0] = (fin ? 0x80 : 0) | opcode;
    head[1] = 0x80 | 126;
    head.writeUInt16BE(length, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = (fin ? 0x80 : 0) | opcode;
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([head, Buffer.alloc(4, 7), Buffer.alloc(length, 1)]);
}

function feed(stream: PassThrough, data: Buffer, chunkSize: number) {
  for (let i = 0; i < data.length; i += chunkSize) {
    stream.emit('data', data.subarray(i, i + chunkSize));
  }
}

describe('attachFrameSizeGuard', () => {
  it.each([1, 3, 7, 4096])(
    'lets frames up to the limit pass in chunks of %i bytes',
    chunkSize => {
      const socket = new PassThrough();
      const onViolation = jest.fn();
      attachFrameSizeGuard(socket, 300, onViolation);
      feed(
        socket,
        Buffer.concat([
          frame(1, 10),
          frame(2, 300),
          frame(9, 0),
          frame(1, 125),
        ]),
        chunkSize,
      );
      expect(onViolation).not.toHaveBeenCalled();
    },
  );

  it.each([1, 5, 70000])(
    'reports the first oversized data frame in chunks of %i bytes',
    chunkSize => {
      const socket = new PassThrough();
      const onViolation = jest.fn();
      attachFrameSizeGuard(socket, 300, onViolation);
      feed(
        socket,
        Buffer.concat([frame(1, 200), frame(0, 301, false), frame(2, 70000)]),
        chunkSize,
      );
      expect(onViolation).toHaveBeenCalledTimes(1);
      expect(onViolation).toHaveBeenCalledWith(301, 1);
    },
  );

  it('detaches', () => {
    const socket = new PassThrough();
    const onViolation = jest.fn();
    const detach = attachFrameSizeGuard(socket, 10, onViolation);
    detach();
    feed(socket, frame(1, 11), 100);
    expect(onViolation).not.toHaveBeenCalled();
  });
});
