import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

/**
 * Checks HTTP requests against a published OpenAPI 3.1 document (path, method, query parameters,
 * JSON body), the way a server generated from that spec would. The stand-ins for SteVe's and
 * Lago's APIs use it so a test fails when Polaris sends anything the real API's spec does not
 * allow (an explicit `null` where the spec says string, an unknown query parameter, …).
 */

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Record<string, unknown>;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
}

interface Route {
  template: string;
  pattern: RegExp;
  literal: number;
  methods: Record<string, Operation>;
  parameters: Parameter[];
}

export interface SpecRequest {
  method: string;
  /** Path relative to the spec's paths (e.g. `/api/v1/ocppTags/5`), without the query. */
  path: string;
  /** Query values by name; repeated keys as arrays. */
  query: Record<string, string | string[]>;
  /** Parsed JSON body, or undefined when there is none. */
  body: unknown;
}

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => void;

export class OpenApiRequestValidator {
  readonly #ajv: Ajv2020;
  readonly #routes: Route[];
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(spec: Record<string, unknown>) {
    this.#ajv = new Ajv2020({
      strict: false,
      allErrors: true,
      validateFormats: true,
      // Lago's spec puts regular expressions in `format` (alongside the real `pattern`): not a format.
      logger: {
        log: () => undefined,
        warn: (...args: unknown[]) => {
          if (!String(args[0]).startsWith('unknown format')) console.warn(...args);
        },
        error: console.error,
      },
    });
    addFormats(this.#ajv);
    this.#ajv.addSchema(spec, 'spec');
    const paths = (spec.paths ?? {}) as Record<string, Record<string, unknown>>;
    // Parameters may be shared (`$ref: '#/components/parameters/page'`): use the definitions.
    const resolve = (list: unknown): Parameter[] =>
      ((list as (Parameter | { $ref: string })[] | undefined) ?? []).map((p) =>
        '$ref' in p ? (pointerIn(spec, p.$ref) as Parameter) : p,
      );
    this.#routes = Object.entries(paths).map(([template, item]) => {
      const methods: Record<string, Operation> = {};
      for (const [key, value] of Object.entries(item)) {
        if (['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(key)) {
          const operation = value as Operation;
          methods[key.toUpperCase()] = { ...operation, parameters: resolve(operation.parameters) };
        }
      }
      const source = template
        .split(/(\{[^}]+\})/)
        .map((part) => (part.startsWith('{') ? '([^/]+)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('');
      return {
        template,
        pattern: new RegExp(`^${source}/?$`),
        literal: template.replace(/\{[^}]+\}/g, '').length,
        methods,
        parameters: resolve(item.parameters),
      };
    });
    // Prefer `/plans/{code}/charges` literal segments over `{…}` ones when both match.
    this.#routes.sort((a, b) => b.literal - a.literal);
  }

  /** Reads a JSON or YAML spec file. */
  static fromFile(file: URL): OpenApiRequestValidator {
    const text = readFileSync(file, 'utf8');
    const spec = file.pathname.endsWith('.json')
      ? (JSON.parse(text) as unknown)
      : (parseYaml(text) as unknown);
    return new OpenApiRequestValidator(spec as Record<string, unknown>);
  }

  /** Every way the request departs from the spec; empty when it conforms. */
  validate(request: SpecRequest): string[] {
    const method = request.method.toUpperCase();
    const label = `${method} ${request.path}`;
    const route = this.#routes.find((r) => r.pattern.test(request.path) && r.methods[method]);
    if (!route) return [`${label}: no such operation in the spec`];
    const operation = route.methods[method]!;
    const errors: string[] = [];
    const params = [...route.parameters, ...(operation.parameters ?? [])];
    const pathValues = route.pattern.exec(request.path)!.slice(1);
    const pathNames = [...route.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    pathNames.forEach((name, i) => {
      const param = params.find((p) => p.in === 'path' && p.name === name);
      if (param?.schema)
        errors.push(
          ...this.#check(
            `${label} path ${name}`,
            param.schema,
            coerce(param.schema, decodeURIComponent(pathValues[i]!)),
          ),
        );
    });
    const queryParams = params.filter((p) => p.in === 'query');
    for (const [name, raw] of Object.entries(request.query)) {
      const param = queryParams.find(
        (p) => p.name === name || p.name === name.replace(/\[\]$/, '') || p.name === `${name}[]`,
      );
      if (!param) {
        errors.push(`${label}: query parameter '${name}' is not in the spec`);
        continue;
      }
      if (param.schema)
        errors.push(...this.#check(`${label} query ${name}`, param.schema, coerce(param.schema, raw)));
    }
    for (const param of queryParams) {
      if (
        param.required &&
        !Object.keys(request.query).some((k) => k === param.name || k.replace(/\[\]$/, '') === param.name)
      )
        errors.push(`${label}: required query parameter '${param.name}' is missing`);
    }
    const body = operation.requestBody;
    if (request.body === undefined) {
      if (body?.required) errors.push(`${label}: request body is required`);
    } else if (!body) {
      errors.push(`${label}: the spec defines no request body`);
    } else {
      const schema = body.content?.['application/json']?.schema;
      if (schema) {
        const pointer = `/paths/${escape(route.template)}/${method.toLowerCase()}/requestBody/content/application~1json/schema`;
        errors.push(...this.#checkRef(`${label} body`, pointer, request.body));
      } else errors.push(`${label}: the spec defines no JSON body`);
    }
    return errors;
  }

  #checkRef(label: string, pointer: string, value: unknown): string[] {
    let validate = this.#compiled.get(pointer);
    if (!validate) {
      validate = this.#ajv.compile({ $ref: `spec#${pointer}` });
      this.#compiled.set(pointer, validate);
    }
    return validate(value) ? [] : describe(label, validate.errors ?? []);
  }

  #check(label: string, schema: Record<string, unknown>, value: unknown): string[] {
    const key = JSON.stringify(schema);
    let validate = this.#compiled.get(key);
    if (!validate) {
      // Parameter schemas may hold `$ref`s into the document: resolve them against it.
      validate = this.#ajv.compile({ $id: `param${this.#compiled.size}`, ...rebase(schema) });
      this.#compiled.set(key, validate);
    }
    return validate(value) ? [] : describe(label, validate.errors ?? []);
  }
}

/** The value a local JSON pointer (`#/components/parameters/page`) names in the document. */
function pointerIn(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local references are supported: ${ref}`);
  let node = document;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  if (node === undefined) throw new Error(`unresolved reference ${ref}`);
  return node;
}

function escape(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Points local `#/…` references of a detached schema at the spec document. */
function rebase(schema: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, '"$ref":"spec#/')) as Record<
    string,
    unknown
  >;
}

/** Query and path values arrive as text: give them the schema's type, as a server would. */
function coerce(schema: Record<string, unknown>, raw: string | string[]): unknown {
  const type = schema.type;
  if (type === 'array') {
    const items = (schema.items ?? {}) as Record<string, unknown>;
    return (Array.isArray(raw) ? raw : [raw]).map((v) => coerce(items, v));
  }
  const value = Array.isArray(raw) ? raw[raw.length - 1]! : raw;
  if (type === 'integer' || type === 'number') return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

function describe(label: string, errors: ErrorObject[]): string[] {
  return errors.map(
    (e) =>
      `${label}${e.instancePath || ''}: ${e.message ?? 'invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
  );
}
