// The config node of a credential type (freshdesk-account): every field of the credentials
// schema is a Node-RED credential, so it is stored encrypted in flows_cred.json and never
// appears in flows.json or an exported flow. Only the name is a plain property.
'use strict';

function credentialDefinitions(account) {
  const definitions = {};
  for (const field of account.fields) definitions[field.name] = { type: field.secret ? 'password' : 'text' };
  return definitions;
}

function registerAccount(RED, account, settings) {
  function AccountNode(config) {
    RED.nodes.createNode(this, config);
    this.name = config.name;
  }
  RED.nodes.registerType(account.type, AccountNode, { credentials: credentialDefinitions(account), settings });
}

module.exports = { registerAccount };
