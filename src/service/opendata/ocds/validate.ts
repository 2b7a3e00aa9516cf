import type { ErrorObject, ValidateFunction } from 'ajv-draft-04';
import AjvDraft04 from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
// Imported, not read from disk: `ggzy` runs as one esbuild bundle (bin/ggzy.js), which carries them.
import bidsExtensionPatch from './schema/bids-extension-release-schema.json' with { type: 'json' };
import ggzyExtensionPatch from './schema/ggzy-extension/release-schema.json' with { type: 'json' };
import recordPackageSchema from './schema/record-package-schema.json' with { type: 'json' };
import releasePackageSchema from './schema/release-package-schema.json' with { type: 'json' };
import releaseSchema from './schema/release-schema.json' with { type: 'json' };

/**
 * Validation against the official OCDS 1.1 schemas (JSON Schema draft-04), copied into ./schema from
 * reference/ocds-1.1 (release, release package, record package; OCDS 1.1.5). The copies are reformatted
 * by Biome only; their content is unchanged.
 *
 * 'extended' (the default) is the release schema with the bids extension and the ggzy extension applied
 * as JSON merge patches, the way OCDS tools apply extensions; 'core' is the official schema alone.
 */
export type OcdsDocumentKind = 'release' | 'release-package' | 'record-package';
export type OcdsSchemaSet = 'extended' | 'core';

export interface OcdsValidation {
  valid: boolean;
  errors: string[];
}

const RELEASE_SCHEMA_ID = 'https://standard.open-contracting.org/schema/1__1__5/release-schema.json';
const VERSIONED_RELEASE_SCHEMA_ID =
  'https://standard.open-contracting.org/schema/1__1__5/versioned-release-validation-schema.json';

type JsonObject = { [key: string]: unknown };

const SCHEMAS = {
  release: releaseSchema,
  releasePackage: releasePackageSchema,
  recordPackage: recordPackageSchema,
  bidsExtension: bidsExtensionPatch,
  ggzyExtension: ggzyExtensionPatch,
} as const;

/** A deep copy, so that no caller can change the imported schema objects. */
function readSchema(name: keyof typeof SCHEMAS): JsonObject {
  return structuredClone(SCHEMAS[name]) as JsonObject;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7386 JSON merge patch (how OCDS extensions patch the release schema). */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** The ggzy extension's release-schema patch (served at GGZY_EXTENSION_SCHEMA_PATH). */
export function ggzyExtensionReleaseSchema(): JsonObject {
  return readSchema('ggzyExtension');
}

/** The release schema with both extensions applied (served to readers beside the packages). */
export function extendedReleaseSchema(): JsonObject {
  let schema: unknown = readSchema('release');
  schema = mergePatch(schema, readSchema('bidsExtension'));
  schema = mergePatch(schema, readSchema('ggzyExtension'));
  return schema as JsonObject;
}

type Validators = Record<OcdsDocumentKind, ValidateFunction>;
const compiled = new Map<OcdsSchemaSet, Validators>();

function validators(set: OcdsSchemaSet): Validators {
  const known = compiled.get(set);
  if (known) return known;
  // Both packages are CommonJS whose default export is the function itself.
  const Ajv = AjvDraft04.default;
  const addFormats = addFormatsModule.default;
  // strict: false — the OCDS schemas carry their own keywords (codelist, openCodelist, omitWhenMerged …).
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv, ['date-time', 'uri']);
  const release = set === 'extended' ? extendedReleaseSchema() : readSchema('release');
  ajv.addSchema(release, RELEASE_SCHEMA_ID);
  // The platform publishes no versioned releases; a record that carries one is refused rather than
  // passed unchecked (the versioned-release schema is not among the reference copies).
  ajv.addSchema({ id: VERSIONED_RELEASE_SCHEMA_ID, not: {} }, VERSIONED_RELEASE_SCHEMA_ID);
  const releasePackage = readSchema('releasePackage');
  const recordPackage = readSchema('recordPackage');
  const made: Validators = {
    release: ajv.getSchema(RELEASE_SCHEMA_ID) ?? ajv.compile(release),
    'release-package': ajv.compile(releasePackage),
    'record-package': ajv.compile(recordPackage),
  };
  compiled.set(set, made);
  return made;
}

function describe(e: ErrorObject): string {
  const where = e.instancePath || '/';
  const extra =
    e.keyword === 'enum' && Array.isArray(e.params.allowedValues)
      ? ` (${(e.params.allowedValues as unknown[]).slice(0, 8).join(', ')})`
      : e.keyword === 'additionalProperties'
        ? ` (${String(e.params.additionalProperty)})`
        : '';
  return `${where} ${e.message ?? e.keyword}${extra}`;
}

/**
 * Validates a release, release package or record package. The schemas are compiled once per set and
 * reused. Errors are `<JSON pointer> <message>` lines.
 */
export function validateOcds(
  kind: OcdsDocumentKind,
  value: unknown,
  set: OcdsSchemaSet = 'extended',
): OcdsValidation {
  const validate = validators(set)[kind];
  const valid = validate(value) === true;
  return { valid, errors: valid ? [] : (validate.errors ?? []).map(describe) };
}
