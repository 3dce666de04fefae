// What the tests use, from the environment CTest sets (hosts/node-red/CMakeLists.txt), else
// from the repository's build/ folder, so `npm test` here works after a build too.
'use strict';
const path = require('node:path');

const BUILD = path.resolve(__dirname, '..', '..', '..', '..', 'build');
const env = process.env;

module.exports = {
  addon: env.WFP_ADDON || path.join(BUILD, 'node-red', 'wfp_addon.node'),
  pluginDir: env.WFP_PLUGIN_DIR || path.join(BUILD, 'plugins', 'freshdesk'),
  fixturePluginDir: env.WFP_FIXTURE_PLUGIN_DIR || path.join(BUILD, 'node-red', 'fixture-plugin'),
  flowrun: env.WFP_FLOWRUN || path.join(BUILD, 'flowrun'),
  screenshots: env.WFP_SCREENSHOTS || path.join(BUILD, 'node-red', 'screenshots'),
};
// The palette itself (lib/locate.js) reads these two from the environment.
env.WFP_ADDON = module.exports.addon;
env.WFP_PLUGIN_DIR = module.exports.pluginDir;
