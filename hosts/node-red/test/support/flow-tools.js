// Collecting what helper nodes receive, and waiting for it.
'use strict';

// For each stage id, the messages its `<id>-ok` and `<id>-fail` helper nodes receive.
function outputsOf(helper, ids) {
  const seen = new Map();
  seen.waiters = [];
  for (const id of ids) {
    for (const name of [`${id}-ok`, `${id}-fail`]) {
      seen.set(name, []);
      helper.getNode(name).on('input', (msg) => {
        seen.get(name).push(msg);
        seen.waiters.filter((w) => w.name === name).forEach((w) => w.resolve(msg));
      });
    }
  }
  return seen;
}

// The first message `name` (a helper node, or a stage whose -ok or -fail output) receives. A
// stage whose run failed rejects with the failure's envelope, so a broken chain says where.
function waitFor(seen, name, ms = 20000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing reached ${name} within ${ms} ms; seen: ${describe(seen)}`)), ms);
    const done = (fn) => (value) => { clearTimeout(timer); fn(value); };
    const names = seen.has(name) ? [name] : [`${name}-ok`, `${name}-fail`];
    for (const n of names) {
      const settle = n.endsWith('-fail') && !seen.has(name) ? done((msg) => reject(new Error(`${name} failed: ${JSON.stringify(msg.payload)}`))) : done(resolve);
      if (seen.get(n).length) return settle(seen.get(n)[0]);
      seen.waiters.push({ name: n, resolve: settle });
    }
    // Any stage failing on the way ends the wait early.
    for (const [n, list] of seen) {
      if (n.endsWith('-fail') && !names.includes(n)) seen.waiters.push({ name: n, resolve: done((msg) => reject(new Error(`${n}: ${JSON.stringify(msg.payload)}`))) });
      void list;
    }
  });
}

function describe(seen) {
  return [...seen].map(([n, list]) => `${n}=${list.length}`).join(' ');
}

module.exports = { outputsOf, waitFor };
