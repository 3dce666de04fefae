// Node-RED entry of the wfp palette: loads the plugin the settings point to (lib/locate.js)
// through the addon, and registers one node type per node it describes, a config node per
// credential type, and the editor's endpoints. The editor side (wfp.html, resources/) draws
// every form from the same catalog, which reaches it as an exported node setting.
'use strict';
const { locate } = require('./lib/locate');
const { openPlugin } = require('./lib/plugin-host');
const { buildCatalog } = require('./lib/catalog');
const { registerAccount } = require('./lib/account-node');
const { registerAction } = require('./lib/action-node');
const { registerTrigger } = require('./lib/trigger-node');
const { registerAdmin } = require('./lib/admin');

// Node settings must be named after their node type: freshdesk-account -> freshdeskAccountWfpCatalog.
function catalogSettingName(type) {
  return `${type.replace(/[^a-zA-Z0-9]+/g, ' ').trim().replace(/ (.)/g, (s, c) => c.toUpperCase()).replace(/^./, (c) => c.toLowerCase())}WfpCatalog`;
}

module.exports = function (RED) {
  const located = locate(RED.settings);
  const { plugin } = openPlugin(located, RED.log);
  const catalog = buildCatalog(plugin.nodes(), (type) => plugin.credentialsSchema(type));
  const editorCatalog = { nodes: catalog.nodes, accounts: catalog.accounts };

  catalog.accounts.forEach((account, i) => {
    const settings = i === 0 ? { [catalogSettingName(account.type)]: { value: editorCatalog, exportable: true } } : undefined;
    registerAccount(RED, account, settings);
  });
  for (const entry of catalog.nodes) {
    const account = catalog.accounts.find((a) => a.type === entry.accountType);
    if (entry.trigger) registerTrigger(RED, entry, account, plugin);
    else registerAction(RED, entry, account, plugin);
  }
  registerAdmin(RED, catalog, plugin, located.pluginDir);
  RED.log.info(`[wfp] ${plugin.name} ${plugin.version}: ${catalog.nodes.length} node types from ${located.pluginDir}`);
};
