// One Node-RED node type per (non-trigger) descriptor. A message starts a run; msg.payload
// becomes the run's envelope and the message leaves by output 1 (StatusCode 200, no
// ErrorMessage) or output 2 (anything else). Closing the node (redeploy, stop) cancels its runs
// and waits for their envelopes, so no run outlives its node.
'use strict';
const { startRun, hostEnvelope, succeeded } = require('./plugin-host');
const { buildInput, credentialsObject } = require('./values');
const { showOutcome, accountCredentials } = require('./node-common');

function registerAction(RED, entry, account, plugin) {
  function ActionNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const inFlight = new Map();  // run id -> envelope promise

    async function run(msg, send, done) {
      let envelope;
      try {
        const input = await buildInput(RED, node, entry.fields, config.fields, msg);
        const credentials = credentialsObject(account, accountCredentials(RED, config.account));
        if (node.closing) return done();  // closed while a field was being read: start nothing
        node.status({ fill: 'blue', shape: 'ring', text: 'running' });
        const started = startRun(plugin, entry.id, input, credentials, (items, total) => {
          node.status({ fill: 'blue', shape: 'ring', text: total >= 0 ? `${items}/${total}` : `${items} read` });
        });
        if (started.id !== null) inFlight.set(started.id, started.envelope);
        envelope = await started.envelope;
        inFlight.delete(started.id);
      } catch (err) {
        envelope = hostEnvelope(err.message);
      }
      if (node.closing) return done();
      msg.payload = envelope;
      showOutcome(node, envelope);
      send(succeeded(envelope) ? [msg, null] : [null, msg]);
      done();
    }

    node.on('input', (msg, send, done) => { run(msg, send, done); });
    node.on('close', (removed, done) => {
      node.closing = true;
      for (const id of inFlight.keys()) plugin.cancel(id);
      Promise.all(inFlight.values()).then(() => done());
    });
  }
  RED.nodes.registerType(entry.type, ActionNode);
}

module.exports = { registerAction };
