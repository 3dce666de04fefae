// Where the addon and the plugin folder are. Each is a setting in Node-RED's settings.js
// (wfpAddon, wfpPluginDir), else an environment variable (WFP_ADDON, WFP_PLUGIN_DIR), else the
// build tree of the repository this package sits in. An operator drops a new plugin version into
// the folder (or points the setting elsewhere) and restarts Node-RED: nothing is rebuilt.
'use strict';
const crypto = require('node:crypto');
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
  if (manifest.wfp.entry && manifest.wfp.entry !== 'wfp_get_entry_v1') {
    throw new Error(`${manifestPath}: entry ${manifest.wfp.entry} is not an ABI this palette speaks (wfp_get_entry_v1)`);
  }
  checkLibrary(path.join(pluginDir, library), manifest.wfp);
  return { addon: path.resolve(addon), pluginDir, library: path.join(pluginDir, library), manifest };
}

// A library half copied, or changed since its package.json was written, is refused before it is
// loaded into the Node-RED process (as flowrun does), when package.json records size and digest.
function checkLibrary(file, wfp) {
  if (wfp.library_size === undefined && wfp.library_sha256 === undefined) return;
  let bytes;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new Error(`cannot read the plugin library ${file}: ${err.message}`);
  }
  const digest = crypto.createHash('sha256').update(bytes).digest('hex');
  if (bytes.length !== wfp.library_size || digest !== wfp.library_sha256) {
    throw new Error(`${file} is not the library its package.json describes (${bytes.length} bytes, SHA-256 ${digest}; ` +
      `expected ${wfp.library_size} bytes, ${wfp.library_sha256}): a copy that did not finish, or a library changed since`);
  }
}

module.exports = { locate };
