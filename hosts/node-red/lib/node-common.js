// What action and trigger nodes share: the status badge and the account's credentials.
'use strict';
const { succeeded } = require('./plugin-host');

function showOutcome(node, envelope) {
  if (succeeded(envelope)) {
    node.status({ fill: 'green', shape: 'dot', text: `${envelope.StatusCode} (${envelope.OriginalStatusCode})` });
  } else {
    const message = String(envelope.ErrorMessage || 'failed');
    node.status({ fill: 'red', shape: 'ring', text: `${envelope.StatusCode}: ${message.length > 48 ? `${message.slice(0, 47)}…` : message}` });
  }
}

// The stored credentials of a config node, deployed or not ({} for none).
function accountCredentials(RED, accountId) {
  if (!accountId) return {};
  const account = RED.nodes.getNode(accountId);
  return (account && account.credentials) || RED.nodes.getCredentials(accountId) || {};
}

module.exports = { showOutcome, accountCredentials };
