// The polling node type for a descriptor flagged TRIGGER: every `interval` seconds it runs the
// node with `Cursor` set to the one the last successful run returned (kept in the node's
// context, so a redeploy, or a restart with persistent context, goes on where it was; the form's
// Cursor is used only while there is none). A run that succeeded and brought something (a list
// among its outputs that is not empty, or for a node with no list output, a new cursor) goes to
// output 1; a failed run goes to output 2 and keeps the old cursor. When the envelope says
// HasMore, the next poll comes at once.
'use strict';
const { startRun, hostEnvelope, succeeded } = require('./plugin-host');
const { buildInput, credentialsObject } = require('./values');
const { showOutcome, accountCredentials } = require('./node-common');

function registerTrigger(RED, entry, account, plugin) {
  const lists = entry.outputs.filter((o) => o.list).map((o) => o.name);
  const brought = (envelope, cursor) => (lists.length
    ? lists.some((name) => Array.isArray(envelope[name]) && envelope[name].length > 0)
    : envelope.Cursor !== cursor);

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
      const ok = succeeded(envelope);
      if (ok && typeof envelope.Cursor === 'string' && envelope.Cursor !== '') node.context().set('cursor', envelope.Cursor);
      if (!ok) node.send([null, { ...msg, payload: envelope }]);
      else if (brought(envelope, cursor)) node.send([{ ...msg, payload: envelope }, null]);
      timer = setTimeout(poll, ok && envelope.HasMore === true ? 0 : seconds * 1000);
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
