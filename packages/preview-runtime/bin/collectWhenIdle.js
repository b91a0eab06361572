'use strict';

// Gives memory back once the runner goes idle. On its own V8 kept an idle
// runner's heap as its last work left it (no change in 45 s of measurement):
// the young generation at its 2 MiB, the old generation's pages with the
// holes its garbage left. When the event loop has been quiet for a few
// seconds after work, the runner collects: full collections (the young
// generation shrinks to its minimum, and bytecode of functions that did not
// run since is flushed once old enough), then one that compacts the old
// generation. See README, Runner memory.
const v8 = require('v8');
const vm = require('vm');
const { performance } = require('perf_hooks');

/** How often the event loop's use is sampled. */
const TICK_MS = 1000;
/** A tick with less event-loop time than this is quiet. */
const QUIET_ACTIVE_MS = 20;
/**
 * Quiet ticks in a row before collecting: V8 shrinks the young generation
 * only when its recent allocation rate (over 5 s) is low.
 */
const QUIET_TICKS = 6;
/** Event-loop time since the last collection that makes another worth it. */
const WORK_MS = 100;
/** Full collections until bytecode not run since is old (V8's --bytecode-old-age). */
const AGEING_COLLECTIONS = 5;
/** V8 12 (Node.js 22) has the "last-resort" collection, which compacts. */
const LAST_RESORT = Number(process.versions.v8.split('.')[0]) >= 12;

/**
 * V8's collector, without `--expose-gc`: the flag is set only while a new
 * context is created, so the runner's global object (which handler code
 * shares) and every context created later have no `gc`.
 */
function takeCollector() {
  v8.setFlagsFromString('--expose-gc');
  try {
    return vm.runInNewContext('gc');
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}

function collectAll(collect) {
  // Without arguments: V8 11 (Node.js 20) takes an options object for a
  // lighter collection.
  for (let i = 0; i < AGEING_COLLECTIONS; i++) collect();
  if (LAST_RESORT) {
    collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    return;
  }
  // V8 11 compacts only by its heuristics otherwise; for this one collection.
  v8.setFlagsFromString('--compact-on-every-full-gc');
  try {
    collect();
  } finally {
    v8.setFlagsFromString('--no-compact-on-every-full-gc');
  }
}

/** Starts watching the event loop; collects once per idle period after work. */
function collectWhenIdle() {
  const collect = takeCollector();
  let last = performance.eventLoopUtilization();
  let work = 0;
  let quiet = 0;
  setInterval(() => {
    const now = performance.eventLoopUtilization();
    const active = performance.eventLoopUtilization(now, last).active;
    last = now;
    work += active;
    quiet = active < QUIET_ACTIVE_MS ? quiet + 1 : 0;
    if (quiet < QUIET_TICKS || work < WORK_MS) return;
    work = 0;
    collectAll(collect);
    // Its own time is not work.
    last = performance.eventLoopUtilization();
  }, TICK_MS).unref();
}

module.exports = { collectWhenIdle };
