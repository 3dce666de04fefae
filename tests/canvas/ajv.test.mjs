// Stock Ajv 8 (`new Ajv()`: strict mode, strictTypes "log") plus ajv-formats must compile every
// schema of the plugin folder with no error and nothing logged.
// Run: node ajv.test.mjs [PLUGIN_DIR]
import test from 'node:test';
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { pluginDir, loadPlugin, captureConsole } from './lib.mjs';

const plugin = loadPlugin(pluginDir());
const documents = plugin.nodes.flatMap((node) =>
  Object.entries(node.schemas).map(([part, schema]) => ({ name: `${node.id} ${part}`, schema })));
if (plugin.credentials) documents.push({ name: 'credentials', schema: plugin.credentials.schema });

// Served documents stand alone: a $ref would need a loader no canvas is told about.
function refs(schema, at = '#') {
  if (!schema || typeof schema !== 'object') return [];
  const own = typeof schema.$ref === 'string' ? [at] : [];
  return own.concat(...Object.entries(schema).map(([k, v]) => refs(v, `${at}/${k}`)));
}

for (const { name, schema } of documents) {
  test(`Ajv compiles ${name} with no error and no warning`, () => {
    const { error, lines } = captureConsole(() => {
      const ajv = new Ajv();
      addFormats(ajv);
      return ajv.compile(schema);
    });
    assert.equal(error, undefined, `${name}: ${error?.message}`);
    assert.deepEqual(lines, [], `${name}: Ajv logged`);
    assert.deepEqual(refs(schema), [], `${name}: $ref in a served schema`);
  });
}
