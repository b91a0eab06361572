import { PassThrough } from 'stream';
import { boundedLines } from './boundedLines';

describe('boundedLines', () => {
  it('splits lines across chunks', async () => {
    const input = new PassThrough();
    const lines: string[] = [];
    boundedLines(input, 100, l => lines.push(l));
    input.write('one\ntw');
    input.write('o\r\nthree');
    input.end();
    await new Promise(r => input.on('end', r));
    expect(lines).toEqual(['one', 'two', 'three']);
  });

  it('holds no more than the cap of a line without newline, and goes on after it', async () => {
    const input = new PassThrough();
    const lines: string[] = [];
    boundedLines(input, 10, l => lines.push(l));
    for (let i = 0; i < 1000; i++) input.write('x'.repeat(1000));
    input.write('\nnext\n');
    input.end();
    await new Promise(r => input.on('end', r));
    expect(lines).toEqual(['x'.repeat(10), 'next']);
  });
});
