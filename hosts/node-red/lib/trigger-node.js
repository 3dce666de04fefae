// The polling node type for a descriptor flagged TRIGGER: every `interval` seconds it runs the
// node with the cursor the last run returned (kept in the node's context, so a redeploy or a
// restart with persistent context goes on where it was) and sends the envelope: output 1 when
// the run succeeded and brought a new cursor (or the node has none), output 2 when it failed.
'use strict';
const { startRun, hostEnvelope, succeeded } = require('./plugin-host');
const { buildInput, credentialsObject } = require('./values');
const { showOutcome, accountCredentials } = require('./node-common');

function registerTrigger(RED, entry, account, plugin) {
  function TriggerNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const seconds = Math.max(0.1, Number(config.interval) || 60);
    let current = null;  // the run in flight, if any
    let timer = null;

    async function poll() {
      const cursor = node.context().get('cursor');
      const msg = { topic: entry.id };
      let envelope;
      try {
        const input = await buildInput(RED, node, entry.fields, config.fields, msg);
        if (cursor !== undefined) input.Cursor = cursor;
        if (node.closing) return;
        current = startRun(plugin, entry.id, input, credentialsObject(account, accountCredentials(RED, config.account)));
        envelope = await current.envelope;
      } catch (err) {
        envelope = hostEnvelope(err.message);
      }
      current = null;
      if (node.closing) return;
      showOutcome(node, envelope);
      const fresh = envelope.Cursor === undefined || envelope.Cursor !== cursor;
      if (succeeded(envelope) && envelope.Cursor !== undefined) node.context().set('cursor', envelope.Cursor);
      if (!succeeded(envelope)) node.send([null, { ...msg, payload: envelope }]);
      else if (fresh) node.send([{ ...msg, payload: envelope }, null]);
      timer = setTimeout(poll, seconds * 1000);
    }

    timer = setTimeout(poll, 0);
    node.on('close', (removed, done) => {
      node.closing = true;
      clearTimeout(timer);
      if (!current) return done();
      if (current.id !== null) plugin.cancel(current.id);
      current.envelope.then(() => done());
    });
  }
  RED.nodes.registerType(entry.type, TriggerNode);
}

module.exports = { registerTrigger };
