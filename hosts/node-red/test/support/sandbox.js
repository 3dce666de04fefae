// `flowrun sandbox`: the local Freshdesk emulator, started for a test and stopped after. Its
// first stdout line is the credentials object (domain, api_key, base_url, ca_file, control_url).
'use strict';
const { spawn } = require('node:child_process');
const readline = require('node:readline');
const paths = require('./paths');

async function startSandbox(flowrun = paths.flowrun) {
  const child = spawn(flowrun, ['sandbox'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const errors = [];
  child.stderr.on('data', (d) => errors.push(String(d)));
  const line = await new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`flowrun sandbox exited (${code}): ${errors.join('')}`)));
  });
  const credentials = JSON.parse(line);
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  return { credentials, stop };
}

module.exports = { startSandbox };
