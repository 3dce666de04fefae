// What the palette reads from a node's draft-07 schemas, in the browser and in Node.js alike:
// the widget each field gets, and a small validator for the values typed into the form.
// The validator knows the keywords the plugins' schemas use (tests/canvas/RECIPE.md); the
// plugin validates every input itself, so this one only has to catch typing mistakes early.
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.WfpSchema = factory();
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  function typeOf(value) {
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'array';
    if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
    return typeof value;
  }

  function typeMatches(types, value) {
    const actual = typeOf(value);
    return [].concat(types).some((t) => t === actual || (t === 'number' && actual === 'integer'));
  }

  function sameValue(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  // The example a message can point to, when the schema has one.
  function hint(schema) {
    const example = Array.isArray(schema.examples) ? schema.examples[0] : undefined;
    return example === undefined ? '' : ` (e.g. ${JSON.stringify(example)})`;
  }

  function checkScalar(schema, value, errors) {
    if (typeof value === 'string') {
      const length = Array.from(value).length;  // code points, as JSON Schema counts
      if (schema.maxLength !== undefined && length > schema.maxLength) errors.push(`is longer than ${schema.maxLength} characters`);
      if (schema.minLength !== undefined && length < schema.minLength) errors.push(schema.minLength === 1 ? 'is empty' : `is shorter than ${schema.minLength} characters`);
      if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) errors.push(`is not in the expected form${hint(schema)}`);
      if (schema.format === 'date-time' && value.trim() && Number.isNaN(Date.parse(value))) errors.push('is not a date and time');
    }
    if (typeof value === 'number') {
      if (schema.minimum !== undefined && value < schema.minimum) errors.push(`is less than ${schema.minimum}`);
      if (schema.maximum !== undefined && value > schema.maximum) errors.push(`is more than ${schema.maximum}`);
    }
  }

  function checkArray(schema, value, errors) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`has more than ${schema.maxItems} items`);
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`has fewer than ${schema.minItems} items`);
    if (schema.items && typeof schema.items === 'object') {
      value.forEach((item, i) => validate(schema.items, item).forEach((e) => errors.push(`item ${i + 1} ${e}`)));
    }
  }

  function checkObject(schema, value, errors) {
    const keys = Object.keys(value);
    if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) errors.push(`has more than ${schema.maxProperties} entries`);
    if (schema.minProperties !== undefined && keys.length < schema.minProperties) errors.push(`has fewer than ${schema.minProperties} entries`);
    (schema.required || []).forEach((key) => { if (!(key in value)) errors.push(`needs ${key}`); });
    const properties = schema.properties || {};
    keys.forEach((key) => {
      if (properties[key]) validate(properties[key], value[key]).forEach((e) => errors.push(`${key} ${e}`));
      else if (schema.additionalProperties === false) errors.push(`has an unknown entry ${key}`);
      else if (typeof schema.additionalProperties === 'object') validate(schema.additionalProperties, value[key]).forEach((e) => errors.push(`${key} ${e}`));
      if (schema.propertyNames) validate(schema.propertyNames, key).forEach((e) => errors.push(`the name ${key} ${e}`));
    });
  }

  function checkCombinators(schema, value, errors) {
    (schema.allOf || []).forEach((part) => errors.push(...validate(part, value)));
    if (schema.anyOf && !schema.anyOf.some((part) => validate(part, value).length === 0)) errors.push('matches none of the allowed forms');
    if (schema.oneOf && schema.oneOf.filter((part) => validate(part, value).length === 0).length !== 1) {
      const choices = schema.oneOf.map((part) => part.title).filter(Boolean);
      errors.push(choices.length ? `must be one of ${choices.join(', ')}` : 'matches none of the allowed forms');
    }
    if (schema.not && validate(schema.not, value).length === 0) errors.push('is not allowed');
    if (schema.if) {
      const branch = validate(schema.if, value).length === 0 ? schema.then : schema.else;
      if (branch) errors.push(...validate(branch, value));
    }
  }

  // The problems of `value` against `schema`, as phrases ("is longer than 255 characters");
  // [] when it is valid.
  function validate(schema, value) {
    if (schema === true || schema === undefined) return [];
    if (schema === false) return ['is not allowed'];
    const errors = [];
    if (schema.type !== undefined && !typeMatches(schema.type, value)) {
      return [`must be ${[].concat(schema.type).filter((t) => t !== 'null').join(' or ')}`];
    }
    if (schema.enum && !schema.enum.some((v) => sameValue(v, value))) errors.push(`must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
    if (schema.const !== undefined && !sameValue(schema.const, value)) errors.push(`must be ${JSON.stringify(schema.const)}`);
    checkScalar(schema, value, errors);
    if (Array.isArray(value)) checkArray(schema, value, errors);
    else if (value && typeof value === 'object') checkObject(schema, value, errors);
    checkCombinators(schema, value, errors);
    return errors;
  }

  // The schema a form draws for a field: its own keywords with the allOf parts and the if/then/else
  // branch an empty form takes merged in. Canvases evaluate `if` against {} (RECIPE.md rule 2),
  // and that branch holds the native widget (a select, a number box, a list).
  function nativeSchema(schema) {
    if (!schema || typeof schema !== 'object') return {};
    const { allOf, if: condition, then: thenPart, else: elsePart, ...own } = schema;
    let merged = { ...own };
    (allOf || []).forEach((part) => { merged = { ...nativeSchema(part), ...merged }; });
    if (condition) {
      const branch = validate(condition, {}).length === 0 ? thenPart : elsePart;
      if (branch) merged = { ...merged, ...nativeSchema(branch) };
    }
    return merged;
  }

  // Labelled choices from enum, or from oneOf/anyOf branches of one value each.
  function choicesOf(native) {
    const branches = native.oneOf || native.anyOf;
    if (branches && branches.length && branches.every((b) => (b.enum && b.enum.length === 1) || b.const !== undefined)) {
      return branches.map((b) => {
        const value = b.const !== undefined ? b.const : b.enum[0];
        return { value: JSON.stringify(value), label: b.title || String(value) };
      });
    }
    if (Array.isArray(native.enum)) {
      return native.enum.filter((v) => v !== null).map((v) => ({ value: JSON.stringify(v), label: String(v) }));
    }
    return null;
  }

  function kindOf(native, choices) {
    if (choices) return 'choice';
    const types = [].concat(native.type || []).filter((t) => t !== 'null');
    if (types.includes('boolean')) return 'boolean';
    if (types.includes('integer') || types.includes('number')) return 'number';
    if (types.includes('string')) return native.format === 'date-time' ? 'datetime' : 'text';
    return 'json';
  }

  // Everything a form needs about one field.
  function fieldModel(name, schema, required) {
    const native = nativeSchema(schema);
    const choices = choicesOf(native);
    const field = {
      name,
      title: schema.title || native.title || name,
      description: schema.description || native.description || '',
      required: Boolean(required),
      kind: kindOf(native, choices),
      schema,
    };
    if (choices) field.choices = choices;
    if (schema.default !== undefined) field.default = schema.default;
    const examples = schema.examples || native.examples;
    if (Array.isArray(examples) && examples.length) field.example = examples[0];
    return field;
  }

  return { validate, nativeSchema, fieldModel, typeOf };
});
