'use strict';

// A hostile runner: it stops reading its stdin (so the backend's answers pile
// up in front of it) and writes `@connections` calls straight to its channel
// (file descriptor 3) as fast as the pipe takes them. GetConnection calls:
// their answers are the largest, so the fewest fill the runner's stdin.
const fs = require('fs');

/** A connection id of 120 characters (the API takes up to 128): fewer calls fill the channel. */
const pad = id => `c${id}`.padEnd(120, '-');

/**
 * Starts the flood once the invocation's own answer is out, and returns.
 * `calls` calls in lines of `batch`; when the channel has taken nothing for
 * `stuckMs`, the number of calls written so far goes to the file `progress`,
 * and once the file `resume` exists the runner reads its stdin again and
 * writes the rest.
 */
exports.floodConnections = ({ calls, batch, stuckMs, progress, resume }) => {
  setTimeout(async () => {
    process.stdin.pause();
    let reading = false;
    let written = 0;
    let stuckSince;
    while (written < calls) {
      const ids = [];
      for (let i = 1; i <= Math.min(batch, calls - written); i++)
        ids.push(written + i);
      let rest = Buffer.from(
        `{"type":"connections","calls":[${ids
          .map(id => `{"id":${id},"op":"get","connectionId":"${pad(id)}"}`)
          .join(',')}]}\n`,
      );
      while (rest.length > 0) {
        try {
          rest = rest.subarray(fs.writeSync(3, rest));
          stuckSince = undefined;
        } catch (error) {
          if (error.code !== 'EAGAIN') throw error;
          stuckSince = stuckSince ?? Date.now();
          if (!reading && Date.now() - stuckSince >= stuckMs) {
            if (!fs.existsSync(progress))
              fs.writeFileSync(progress, String(written));
            if (fs.existsSync(resume)) {
              reading = true;
              process.stdin.resume();
            }
          }
          await new Promise(r => setTimeout(r, 5));
        }
      }
      written += ids.length;
    }
    if (!reading) process.stdin.resume();
  }, 0);
  return 'flooding';
};
