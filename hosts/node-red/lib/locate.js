// Where the addon and the plugin folder are. Each is a setting in Node-RED's settings.js
// (wfpAddon, wfpPluginDir), else an environment variable (WFP_ADDON, WFP_PLUGIN_DIR), else the
// build tree of the repository this package sits in. An operator drops a new plugin version into
// the folder (or points the setting elsewhere) and restarts Node-RED: nothing is rebuilt.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

// npm installs a folder as a symlink, and Node resolves it: __dirname is in the repository.
const repository = path.resolve(__dirname, '..', '..', '..');

function setting(settings, name) {
  try {
    return settings && settings[name];
  } catch (err) {
    return undefined;  // Node-RED's settings object throws for a name it does not know
  }
}

function locate(settings, env = process.env) {
  const addon = setting(settings, 'wfpAddon') || env.WFP_ADDON || path.join(repository, 'build', 'node-red', 'wfp_addon.node');
  const pluginDir = path.resolve(setting(settings, 'wfpPluginDir') || env.WFP_PLUGIN_DIR || path.join(repository, 'build', 'plugins', 'freshdesk'));
  const manifestPath = path.join(pluginDir, 'package.json');
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  } catch (err) {
    throw new Error(`no wfp plugin folder at ${pluginDir} (set wfpPluginDir in settings.js or WFP_PLUGIN_DIR): ${err.message}`);
  }
  const library = manifest.wfp && manifest.wfp.library;
  if (typeof library !== 'string' || !library || path.basename(library) !== library) {
    throw new Error(`${manifestPath} names no library file in wfp.library`);
  }
  return { addon: path.resolve(addon), pluginDir, library: path.join(pluginDir, library), manifest };
}

module.exports = { locate };
