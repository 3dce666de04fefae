// Draws each node's form with @rjsf/core 5 in its default settings (only schema, validator and
// handlers are passed) and checks what a canvas user would see and submit.
// Run: node rjsf.test.mjs [PLUGIN_DIR]
import './jsdom-env.mjs';
import test from 'node:test';
import assert from 'node:assert/strict';
import React, { act } from 'react';
import { createRoot } from 'react-dom/client';
import FormModule from '@rjsf/core';
import validatorModule from '@rjsf/validator-ajv8';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { pluginDir, loadPlugin, formSchema } from './lib.mjs';

// Both packages are CommonJS with an ES default export; Node's loader may wrap it once more.
const Form = FormModule.default ?? FormModule;
const validator = validatorModule.default ?? validatorModule;
const plugin = loadPlugin(pluginDir());

// Our own checks of sample values only; not the Ajv under test.
const ajv = new Ajv({ strict: false });
addFormats(ajv);

async function mount(schema) {
  const el = document.createElement('div');
  document.body.appendChild(el);
  const root = createRoot(el);
  const ref = React.createRef();
  const seen = { submitted: undefined, errors: undefined };
  await act(async () => root.render(React.createElement(Form, {
    schema, validator, ref,
    onSubmit: (e) => { seen.submitted = e.formData; },
    onError: (errors) => { seen.errors = errors.map((e) => e.stack); },
  })));
  return {
    el, seen,
    state: () => ref.current.state.formData,
    close: async () => { await act(async () => root.unmount()); el.remove(); },
  };
}

// Types like a user: React listens to the native value setter plus an input event.
async function type(control, value) {
  await act(async () => {
    if (control.tagName === 'SELECT') {
      control.value = [...control.options].find((o) => o.textContent !== '').value;
    } else {
      Object.getOwnPropertyDescriptor(Object.getPrototypeOf(control), 'value').set.call(control, value);
    }
    control.dispatchEvent(new window.Event('input', { bubbles: true }));
    control.dispatchEvent(new window.Event('change', { bubbles: true }));
  });
}

// Labels a schema gives an enum: oneOf/anyOf whose branches are all one value with a title.
function enumTitles(schema) {
  if (!schema || typeof schema !== 'object') return null;
  for (const key of ['oneOf', 'anyOf']) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.every((b) => ('const' in b || b.enum?.length === 1) && b.title)) return branches.map((b) => b.title);
  }
  for (const sub of [schema.then, schema.else, ...(schema.allOf ?? [])]) {
    const found = enumTitles(sub);
    if (found) return found;
  }
  return null;
}

// One entry per top-level field rjsf drew, in order.
function drawnFields(el) {
  return [...el.querySelectorAll('fieldset#root > .form-group')].map((wrapper) => {
    const control = wrapper.querySelector('input[id^="root_"], select[id^="root_"], textarea[id^="root_"], fieldset[id^="root_"]');
    const name = control ? control.id.slice('root_'.length) : '?';
    const label = wrapper.querySelector('label, legend');
    let kind;
    if (!control) kind = 'nothing';
    else if (control.tagName === 'SELECT') kind = `select [${[...control.options].map((o) => o.textContent).filter(Boolean).join(', ')}]`;
    else if (control.tagName === 'FIELDSET') kind = `${control.classList.contains('field-array') ? 'list' : 'key/value'}${wrapper.querySelector('button.btn-add') ? ' (Add)' : ' (no Add button)'}`;
    else kind = control.tagName === 'INPUT' ? control.type : control.tagName.toLowerCase();
    return {
      name, kind, control, wrapper,
      label: label ? label.textContent.replace(/\*$/, '') : '',
      requiredMark: Boolean(label?.querySelector('.required')),
      enterable: Boolean(wrapper.querySelector('input, select, textarea, button.btn-add')),
      options: control?.tagName === 'SELECT' ? [...control.options].map((o) => o.textContent).filter(Boolean) : null,
    };
  });
}

// A value for a required field that its own schema accepts, as a user would type it.
function sampleFor(fieldSchema) {
  const candidates = [...(fieldSchema.examples ?? []).map(String), 'Sample text', '6', 'user@example.com'];
  return candidates.find((v) => ajv.validate(fieldSchema, v));
}

// The keys an untouched form may hold: fields with a declared default, at that default.
function withDefaults(schema) {
  return Object.fromEntries(Object.entries(schema.properties).filter(([, s]) => 'default' in s).map(([k, s]) => [k, s.default]));
}

// Root keywords besides the fields (cross-field rules written as `not`): drawn once without
// them, as the form above, and once with them, to show they change nothing drawn.
const rootExtras = (schema) => Object.fromEntries(Object.entries(schema)
  .filter(([k]) => !['$schema', 'title', 'description', 'type', 'properties', 'required'].includes(k)));
const forms = plugin.nodes.map((node) => ({
  name: `${node.title ?? node.id} (${node.id})`,
  schema: formSchema(node),
  rootExtras: rootExtras(node.schemas.options),
}));
if (plugin.credentials) {
  const { properties, required } = plugin.credentials.schema;
  forms.push({ name: 'Credentials', schema: { type: 'object', properties, required }, rootExtras: rootExtras(plugin.credentials.schema) });
}

for (const form of forms) {
  test(`rjsf draws ${form.name}`, async () => {
    const { schema } = form;
    const names = Object.keys(schema.properties);
    const required = new Set(schema.required ?? []);
    const defaults = withDefaults(schema);
    const view = await mount(schema);
    const fields = drawnFields(view.el);
    const untouched = view.state();
    const report = [`${form.name}:`];
    try {
      assert.deepEqual(fields.map((f) => f.name), names, 'exactly the node\'s fields, in order');
      assert.equal(view.el.querySelector('[id$="__anyof_select"], [id$="__oneof_select"]'), null, 'no anyOf/oneOf selector');
      assert.doesNotMatch(view.el.textContent, /option \d+/i, 'no "option N" choices');
      for (const f of fields) {
        const fs = schema.properties[f.name];
        assert.ok(f.enterable, `${f.name}: no way to enter it`);
        assert.equal(f.requiredMark, required.has(f.name), `${f.name}: required mark`);
        const titles = enumTitles(fs);
        if (titles) assert.deepEqual(f.options, titles, `${f.name}: select shows the labels`);
        if (f.kind.startsWith('key/value') || f.kind.startsWith('list')) assert.match(f.kind, /\(Add\)/, `${f.name}: Add button`);
        report.push(`  ${(f.name + (f.requiredMark ? '*' : '')).padEnd(18)} ${f.kind.padEnd(44)} "${f.label}"${'default' in fs ? ` default ${JSON.stringify(fs.default)}` : ''}`);
      }
      assert.deepEqual(untouched, defaults, 'untouched form holds only declared defaults');

      // Fill only the required fields, submit, and look at what the form sends.
      for (const f of fields.filter((f) => required.has(f.name))) {
        const value = sampleFor(schema.properties[f.name]);
        assert.ok(value !== undefined || f.control.tagName === 'SELECT', `${f.name}: no sample value fits its schema`);
        await type(f.control, value);
      }
      await act(async () => view.el.querySelector('button[type=submit]').click());
      assert.equal(view.seen.errors, undefined, `submit refused: ${view.seen.errors}`);
      assert.ok(view.seen.submitted, 'form did not submit');
      assert.deepEqual(Object.keys(view.seen.submitted).sort(), [...new Set([...required, ...Object.keys(defaults)])].sort(),
        'submitted only what was typed plus declared defaults');
      report.push(`  untouched formData ${JSON.stringify(untouched)}; submitted after typing the required fields ${JSON.stringify(view.seen.submitted)}`);
    } finally {
      await view.close();
      console.log(report.join('\n'));
    }

    if (Object.keys(form.rootExtras).length) {
      const withRules = await mount({ ...schema, ...form.rootExtras });
      try {
        assert.deepEqual(drawnFields(withRules.el).map((f) => `${f.name} ${f.kind} ${f.requiredMark}`), fields.map((f) => `${f.name} ${f.kind} ${f.requiredMark}`),
          `the root keywords (${Object.keys(form.rootExtras)}) change nothing drawn`);
        assert.equal(withRules.el.querySelector('[id$="__anyof_select"], [id$="__oneof_select"]'), null, 'no selector with the root keywords');
        console.log(`  with the root keyword(s) ${Object.keys(form.rootExtras).join(', ')} added to the form: same fields, no selector`);
      } finally {
        await withRules.close();
      }
    }
  });
}
