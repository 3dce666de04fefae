// The schemas and the descriptor rules must refuse exactly what the plugin refuses. The corpus is
// written by the C++ side: a JSON array of {node, input, plugin_refused}.
// Run: node agreement.test.mjs [PLUGIN_DIR] [CORPUS]   (CORPUS: a file or a folder of them; default
// $WFP_CANVAS_CORPUS, else the build's corpus folder, which the reliability suite writes)
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { here, pluginDir, loadPlugin, loadCorpus, runnerSchema, prepare, ruleErrors } from './lib.mjs';

const plugin = loadPlugin(pluginDir());
const corpusFile = process.argv[3] ?? process.env.WFP_CANVAS_CORPUS ??
  path.join(here, '..', '..', 'build', 'corpus');
const corpus = loadCorpus(corpusFile);

// Stock Ajv as a canvas would have it; allErrors only so a disagreement prints every reason.
const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const nodes = new Map(plugin.nodes.map((node) => [node.id, { node, validate: ajv.compile(runnerSchema(node)) }]));

// The verdict of schema plus rules, with the reasons for a refusal.
export function verdict(nodeId, input, inputText) {
  if (inputText !== undefined) return { refused: true, reasons: ['not a JSON value'] };
  const { node, validate } = nodes.get(nodeId);
  const prepared = prepare(node, input);
  const reasons = validate(prepared) ? [] : validate.errors.map((e) => `${e.instancePath || '(root)'} ${e.message}`);
  reasons.push(...ruleErrors(node, prepared));
  return { refused: reasons.length > 0, reasons };
}

test(`corpus ${path.relative(process.cwd(), corpusFile)} agrees with schemas and rules`, () => {
  assert.ok(Array.isArray(corpus) && corpus.length > 0, 'corpus is a non-empty array');
  const unknown = [...new Set(corpus.map((c) => c.node).filter((id) => !nodes.has(id)))];
  assert.deepEqual(unknown, [], 'corpus names nodes the plugin folder does not have');
  const disagreements = [];
  const counts = new Map();
  for (const [i, entry] of corpus.entries()) {
    const { refused, reasons } = verdict(entry.node, entry.input, entry.input_text);
    const c = counts.get(entry.node) ?? { accepted: 0, refused: 0 };
    c[entry.plugin_refused ? 'refused' : 'accepted']++;
    counts.set(entry.node, c);
    if (refused !== entry.plugin_refused) {
      disagreements.push(`#${i} ${entry.label ?? ''} ${entry.node} ${JSON.stringify(entry.input ?? entry.input_text).slice(0, 200)}\n` +
        `    plugin ${entry.plugin_refused ? 'refused' : 'accepted'}, schema+rules ${refused ? `refused: ${reasons.join('; ')}` : 'accepted'}`);
    }
  }
  for (const [id, c] of counts) console.log(`${id}: ${c.accepted} accepted, ${c.refused} refused by the plugin`);
  if (disagreements.length) console.log(`disagreements (${disagreements.length}):\n${disagreements.join('\n')}`);
  assert.equal(disagreements.length, 0, `${disagreements.length} of ${corpus.length} verdicts differ from the plugin's`);
});
