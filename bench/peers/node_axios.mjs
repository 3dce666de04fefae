// Peer: an n8n-style Node.js client - axios (what n8n's HTTP nodes use) over a keep-alive agent.
// usage: node node_axios.mjs BASE_URL CA_FILE API_KEY PATH CALLS
// Prints one JSON line: {"peer": "node-axios", "calls": N, "ok": N, "seconds": S, "rate_limited": N}.
import fs from 'node:fs';
import https from 'node:https';
import axios from 'axios';

const [baseUrl, caFile, apiKey, path, callsText] = process.argv.slice(2);
const calls = Number(callsText);
const client = axios.create({
  baseURL: baseUrl.replace(/\/$/, ''),
  httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 1, ca: fs.readFileSync(caFile) }),
  auth: { username: apiKey, password: 'X' },
  headers: { Accept: 'application/json' },
  timeout: 30000,
  validateStatus: () => true,
});

let ok = 0;
let limited = 0;
const started = process.hrtime.bigint();
for (let i = 0; i < calls; i += 1) {
  const response = await client.get(path);
  if (response.status === 200) ok += 1;
  else if (response.status === 429) limited += 1;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(JSON.stringify({ peer: 'node-axios', calls, ok, seconds, rate_limited: limited }));
