// Generate GPP test vectors with the IAB reference encoder (@iabgpp/cmpapi).
//
// For every non-TCF section the library knows, set each field to the valid
// non-default values, encode, decode the string again with the library and
// print one JSON line per vector:
//   {name, string, section_ids, expected: {prefix: {field: value}},
//    included: {prefix: bool}, optional_fields: {prefix: [field]}, set: {prefix: {field: value}}}
// `expected` is the library's own reading of `string`; `included` says whether
// the optional sub-section (GPC, or sensitive data for IN/KY/RI) is present.
// Used by tests/unit/test_signals_gpp_roundtrip.py; run with `node gpp_vectors.mjs`.

import * as gpp from "@iabgpp/cmpapi";

const { GppModel, Sections } = gpp;
const TCF = new Set(["tcfeuv2", "tcfcav1"]);
const VERSION_FIELDS = new Set(["Version", "MspaVersion"]);
const INCLUDED_FLAGS = ["GpcSegmentIncluded", "SensitiveDataConsentSegmentIncluded"];
const USP_FLAGS = ["Y", "N", "-"];

const sectionClasses = new Map(
  Object.values(gpp)
    .filter((value) => typeof value === "function" && typeof value.NAME === "string" && typeof value.ID === "number")
    .map((cls) => [cls.NAME, cls]),
);

function sectionNames() {
  return Sections.SECTION_ORDER.filter((name) => !TCF.has(name));
}

function defaults(name) {
  return new (sectionClasses.get(name))().toObj();
}

function optionalFields(name) {
  const segments = new (sectionClasses.get(name))().initializeSegments();
  return segments.length > 1 ? segments.slice(1).flatMap((segment) => segment.getFieldNames()) : [];
}

// Deterministic PRNG (mulberry32) so a failing vector can be reproduced.
function prng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// GppModel.hasField only sees encoded fields, so probe the *Included flags by reading them.
function hasFlag(model, section, flag) {
  try {
    const value = model.getFieldValue(section, flag);
    return value !== null && value !== undefined;
  } catch (error) {
    return false;
  }
}

function trySet(model, section, field, value) {
  try {
    model.setFieldValue(section, field, value);
    return true;
  } catch (error) {
    if (error.name === "ValidationError" || /Invalid value/.test(String(error.message))) return false;
    throw error;
  }
}

// Non-default candidate values for one field; invalid ones are rejected by trySet.
function candidates(value, field) {
  if (typeof value === "boolean") return [!value];
  if (typeof value === "string") return USP_FLAGS.filter((flag) => flag !== value);
  if (typeof value === "number") return [0, 1, 2, 3].filter((n) => n !== value);
  if (Array.isArray(value)) {
    const n = value.length;
    const lists = [Array(n).fill(1), Array(n).fill(2), Array.from({ length: n }, (_, i) => i % 3)];
    for (let i = 0; i < n; i++) {
      for (const v of [1, 2]) lists.push(Array.from({ length: n }, (_, j) => (j === i ? v : 0)));
    }
    return lists;
  }
  throw new Error(`unexpected default for ${field}: ${JSON.stringify(value)}`);
}

function emit(name, model, set) {
  const string = model.encode();
  const decoded = new GppModel(string);
  const expected = decoded.toObject();
  const included = {};
  const optional = {};
  for (const section of Object.keys(expected)) {
    const flag = INCLUDED_FLAGS.find((f) => hasFlag(decoded, section, f));
    included[section] = flag ? decoded.getFieldValue(section, flag) === true : false;
    optional[section] = optionalFields(section);
  }
  const line = { name, string, section_ids: decoded.getHeader().SectionIds, expected, included, optional_fields: optional, set };
  process.stdout.write(JSON.stringify(line) + "\n");
}

function singleFieldVectors(section, version) {
  const base = defaults(section);
  for (const [field, value] of Object.entries(base)) {
    if (VERSION_FIELDS.has(field) || field === "GpcSegmentType") continue;
    let values = candidates(value, field);
    if (version === 1 && section === "usnat" && Array.isArray(value)) {
      const length = field === "SensitiveDataProcessing" ? 12 : 2;
      values = candidates(Array(length).fill(0), field);
    }
    for (const candidate of values) {
      const model = new GppModel();
      if (version !== undefined) model.setFieldValue(section, "Version", version);
      if (!trySet(model, section, field, candidate)) continue;
      const label = version !== undefined ? `${section} v${version}` : section;
      emit(`${label} ${field}=${JSON.stringify(candidate)}`, model, { [section]: { [field]: candidate } });
    }
  }
}

function randomFill(model, section, random) {
  const set = {};
  for (const [field, value] of Object.entries(defaults(section))) {
    if (VERSION_FIELDS.has(field) || field === "GpcSegmentType") continue;
    const options = [value, ...candidates(value, field)];
    for (let attempt = 0; attempt < 8; attempt++) {
      const choice = options[Math.floor(random() * options.length)];
      if (trySet(model, section, field, choice)) {
        set[field] = choice;
        break;
      }
    }
  }
  for (const flag of INCLUDED_FLAGS) {
    if (hasFlag(model, section, flag)) {
      const include = random() < 0.7;
      model.setFieldValue(section, flag, include);
      set[flag] = include;
    }
  }
  return set;
}

function main() {
  const names = sectionNames();
  for (const section of names) {
    const model = new GppModel();
    model.setFieldValue(section, Object.keys(defaults(section))[0], Object.values(defaults(section))[0]);
    emit(`${section} defaults`, model, { [section]: {} });
    for (const flag of INCLUDED_FLAGS) {
      if (hasFlag(model, section, flag)) {
        const without = new GppModel();
        without.setFieldValue(section, flag, false);
        emit(`${section} without optional segment`, without, { [section]: { [flag]: false } });
      }
    }
    singleFieldVectors(section);
  }
  singleFieldVectors("usnat", 1);

  const random = prng(20240501);
  for (const section of names) {
    for (let i = 0; i < 25; i++) {
      const model = new GppModel();
      if (section === "usnat") model.setFieldValue(section, "Version", i % 2 ? 1 : 2);
      emit(`${section} random #${i}`, model, { [section]: randomFill(model, section, random) });
    }
  }
  // Several sections in one string exercise the header's Fibonacci ranges.
  const subsets = [names, names.filter((_, i) => i % 2 === 0), names.filter((_, i) => i % 3 !== 1), ["uspv1", "usca"], ["usnat", "ustx", "usri"]];
  for (const [index, subset] of subsets.entries()) {
    for (let i = 0; i < 3; i++) {
      const model = new GppModel();
      const set = {};
      for (const section of subset) set[section] = randomFill(model, section, random);
      emit(`multi #${index}.${i} ${subset.join(",")}`, model, set);
    }
  }
}

main();
