/**
 * Writes src/domain/rules/request-bodies.generated.ts: the TypeScript type of every request body,
 * derived from schemas/*.schema.json by json-schema-to-ts's FromSchema and printed as plain types,
 * so the domain keeps no library import and the JSON Schemas stay the one source of each shape.
 *
 *   npm run gen:types            rewrite the file
 *   tests/unit/request-bodies-generated.test.ts fails when the file is stale
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(import.meta.dirname, '..');
const SCHEMA_DIR = path.join(ROOT, 'schemas');
export const OUTPUT = path.join(ROOT, 'src/domain/rules/request-bodies.generated.ts');
/** The shared items every request schema points into. */
const SHARED = 'certificate.schema.json';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A request schema is one whose title names its route (`POST /api/v1/…` or `PUT /api/v1/…`). */
interface RequestSchema {
  file: string;
  typeName: string;
  title: string;
  description: string | undefined;
  schema: JsonObject;
}

const readJson = (file: string) => JSON.parse(readFileSync(path.join(SCHEMA_DIR, file), 'utf8')) as JsonObject;

/** `household-registration.schema.json` → `HouseholdRegistrationBody`. */
const typeNameOf = (file: string) =>
  `${file
    .replace(/\.schema\.json$/, '')
    .split('-')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('')}Body`;

/**
 * FromSchema resolves a `#/$defs/…` reference inside a referenced schema against the root schema
 * that started the walk, not against the file it was written in (json-schema-to-ts issue #172):
 * application's `mother` → certificate's `parent` → `#/$defs/personName` is looked up in
 * application's $defs, comes out `never`, and the required `mother` makes the whole body `never`.
 * So the generator reads self-contained copies: every `certificate.schema.json#/$defs/X` becomes
 * `#/$defs/X` and the copy carries certificate.schema.json's $defs. A request schema may also point
 * into another request schema's $defs (the citizen application reuses application's `applicant`):
 * every request schema's $defs joins the same table, whose names must not repeat. The JSON files
 * (which ajv validates against) are not changed; only the copy the type generator reads is.
 */
function localise(node: Json): Json {
  if (Array.isArray(node)) return node.map(localise);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      const [file, pointer = ''] = value.split('#', 2);
      const known = file === '' || file === SHARED || requestSchemaFiles().includes(file!);
      if (known && pointer.startsWith('/$defs/')) out[key] = `#${pointer}`;
      else
        throw new Error(
          `Unsupported $ref "${value}": request schemas may point into the $defs of ${SHARED} or a request schema`,
        );
    } else {
      out[key] = localise(value);
    }
  }
  return out;
}

/** Every $defs entry the request schemas can reach: certificate.schema.json's and their own. */
function collectDefs(schemas: readonly RequestSchema[], shared: JsonObject): JsonObject {
  const defs = { ...(localise(shared.$defs!) as JsonObject) };
  for (const { file, schema } of schemas) {
    for (const [name, def] of Object.entries((schema.$defs ?? {}) as JsonObject)) {
      if (Object.hasOwn(defs, name)) throw new Error(`$defs/${name} of ${file} is defined twice`);
      defs[name] = localise(def);
    }
  }
  return defs;
}

const pascal = (name: string) => name[0]!.toUpperCase() + name.slice(1);

/** The named $defs worth a type of their own: objects and code lists (a plain string stays `string`). */
const isNamedDef = (def: Json) =>
  def !== null && typeof def === 'object' && !Array.isArray(def) && (def.type === 'object' || Array.isArray(def.enum));

/** A module that types each self-contained schema `as const` and derives its type with FromSchema. */
function derivationSource(schemas: readonly RequestSchema[], defs: JsonObject): string {
  const lines = ["import type { FromSchema } from 'json-schema-to-ts';"];
  // parseIfThenElseKeywords: application's deliveryId switch and the `null or an object` items are if/then/else.
  lines.push('type Options = { parseIfThenElseKeywords: true };');
  lines.push(`const defs = ${JSON.stringify(defs)} as const;`);
  for (const [name, def] of Object.entries(defs)) {
    if (!isNamedDef(def)) continue;
    lines.push(`const ${name}Def = { ...defs.${name}, $defs: defs } as const;`);
    lines.push(`export type Def_${name} = FromSchema<typeof ${name}Def, Options>;`);
  }
  for (const { typeName, schema } of schemas) {
    // Examples are data for the example tests, $id/$schema say where ajv files it: neither is a type.
    const { $defs: _own, $id: _id, $schema: _schema, examples: _examples, ...body } = localise(schema) as JsonObject;
    lines.push(`const ${typeName}Schema = { $defs: defs, ${JSON.stringify(body).slice(1)} as const;`);
    lines.push(`export type ${typeName} = FromSchema<typeof ${typeName}Schema, Options>;`);
  }
  return `${lines.join('\n')}\n`;
}

interface Named {
  /** The $defs key. */
  key: string;
  /** The type's name: the key in PascalCase. */
  name: string;
  type: ts.Type;
  used: boolean;
}

/** Prints resolved types as plain TypeScript, naming the parts that are a schema's $defs entry. */
class TypePrinter {
  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly where: ts.Node,
    readonly named: readonly Named[],
  ) {}

  private propertiesOf(type: ts.Type) {
    return this.checker.getPropertiesOfType(type).map((property) => {
      const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
      const type = this.checker.getTypeOfSymbolAtLocation(property, this.where);
      let members = type.isUnion() ? type.types : [type];
      // Optional already says "may be absent"; `| undefined` only repeats it.
      if (optional && members.some((member) => !(member.flags & ts.TypeFlags.Undefined))) {
        members = members.filter((member) => !(member.flags & ts.TypeFlags.Undefined));
      }
      return { name: property.name, optional, members };
    });
  }

  /** A named union with exactly these members (literal types are interned, so identity compares them). */
  private unionNameOf(members: readonly ts.Type[]): Named | undefined {
    return this.named.find(
      ({ type }) =>
        type.isUnion() &&
        type.types.length === members.length &&
        type.types.every((member) => members.includes(member)),
    );
  }

  /** The same object type as a named entry: the same members, each assignable both ways. */
  private objectNameOf(type: ts.Type, except: ts.Type | undefined): Named | undefined {
    const shape = (t: ts.Type) =>
      this.propertiesOf(t)
        .map((p) => `${p.name}${p.optional ? '?' : ''}`)
        .sort()
        .join();
    return this.named.find((entry) => {
      if (entry.type === except) return false;
      if (!(type.flags & ts.TypeFlags.Object) || !(entry.type.flags & ts.TypeFlags.Object)) return false;
      return (
        shape(type) === shape(entry.type) &&
        this.checker.isTypeAssignableTo(type, entry.type) &&
        this.checker.isTypeAssignableTo(entry.type, type)
      );
    });
  }

  private use(named: Named): string {
    named.used = true;
    return named.name;
  }

  /** Prints a union given by its members (a property's type without `undefined` is one). */
  printMembers(members: readonly ts.Type[], except?: ts.Type): string {
    if (members.length === 1) return this.print(members[0]!, except);
    const named = this.unionNameOf(members);
    if (named && named.type !== except) return this.use(named);
    // `boolean` arrives as `false | true`.
    const booleans = members.filter((member) => member.flags & ts.TypeFlags.BooleanLiteral);
    const printed: string[] = [];
    for (const member of members) {
      if (booleans.length === 2 && booleans.includes(member)) {
        if (!printed.includes('boolean')) printed.push('boolean');
      } else {
        printed.push(this.print(member));
      }
    }
    return printed.join(' | ');
  }

  print(type: ts.Type, except?: ts.Type): string {
    if (type.isUnion()) return this.printMembers(type.types, except);
    const named = this.objectNameOf(type, except);
    if (named) return this.use(named);
    const { checker } = this;
    if (type.isStringLiteral()) return `'${type.value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
    if (type.isNumberLiteral()) return String(type.value);
    const simple =
      ts.TypeFlags.String |
      ts.TypeFlags.Number |
      ts.TypeFlags.Boolean |
      ts.TypeFlags.BooleanLiteral |
      ts.TypeFlags.Null |
      ts.TypeFlags.Undefined |
      ts.TypeFlags.Unknown |
      ts.TypeFlags.Never;
    if (type.flags & simple) return checker.typeToString(type);
    if (checker.isArrayType(type)) {
      const [element] = checker.getTypeArguments(type as ts.TypeReference);
      const inner = this.print(element!);
      return element!.isUnion() ? `(${inner})[]` : `${inner}[]`;
    }
    if (type.flags & ts.TypeFlags.Object && type.getCallSignatures().length === 0) {
      const members: string[] = [];
      const stringIndex = checker.getIndexInfoOfType(type, ts.IndexKind.String);
      if (stringIndex) members.push(`[key: string]: ${this.print(stringIndex.type)};`);
      for (const property of this.propertiesOf(type)) {
        const key = /^[A-Za-z_$][\w$]*$/.test(property.name) ? property.name : `'${property.name}'`;
        members.push(`${key}${property.optional ? '?' : ''}: ${this.printMembers(property.members)};`);
      }
      return members.length === 0 ? '{}' : `{\n${members.join('\n')}\n}`;
    }
    throw new Error(`The body types hold a type the printer does not know: ${checker.typeToString(type)}`);
  }
}

const docComment = (lines: readonly string[]) => `/**\n${lines.map((line) => ` * ${line}`).join('\n *\n')}\n */`;

/** Formats with the project's formatter, so the file reads like the rest of the code and lints clean. */
function format(source: string): string {
  const biome = path.join(ROOT, 'node_modules/.bin/biome');
  const result = spawnSync(biome, ['format', `--stdin-file-path=${path.relative(ROOT, OUTPUT)}`], {
    cwd: ROOT,
    input: source,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`biome format failed: ${result.stderr}`);
  return result.stdout;
}

const isRequestSchema = (schema: JsonObject) => typeof schema.title === 'string' && /^(POST|PUT) /.test(schema.title);

let requestFiles: string[] | undefined;
/** The file names of the request schemas. */
function requestSchemaFiles(): string[] {
  requestFiles ??= readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.schema.json'))
    .sort()
    .filter((file) => isRequestSchema(readJson(file)));
  return requestFiles;
}

function requestSchemas(): RequestSchema[] {
  return requestSchemaFiles()
    .map((file) => ({ file, schema: readJson(file) }))
    .map(({ file, schema }) => ({
      file,
      typeName: typeNameOf(file),
      title: schema.title as string,
      description: typeof schema.description === 'string' ? schema.description : undefined,
      schema,
    }));
}

/** Type-checks the derivation module in memory (no file is written) and hands back its checker. */
function check(source: string): { checker: ts.TypeChecker; sourceFile: ts.SourceFile } {
  const virtualFile = path.join(ROOT, 'scripts/body-types.virtual.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts'],
    types: [],
    noEmit: true,
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  const isVirtual = (fileName: string) => path.resolve(fileName) === virtualFile;
  host.getSourceFile = (fileName, languageVersion, ...rest) =>
    isVirtual(fileName)
      ? ts.createSourceFile(fileName, source, languageVersion, true)
      : getSourceFile.call(host, fileName, languageVersion, ...rest);
  host.fileExists = (fileName) => isVirtual(fileName) || fileExists.call(host, fileName);
  host.readFile = (fileName) => (isVirtual(fileName) ? source : readFile.call(host, fileName));
  const program = ts.createProgram([virtualFile], options, host);
  const problems = ts.getPreEmitDiagnostics(program);
  if (problems.length > 0) throw new Error(ts.formatDiagnostics(problems, { ...host, getNewLine: () => '\n' }));
  return { checker: program.getTypeChecker(), sourceFile: program.getSourceFile(virtualFile)! };
}

/** The text of the generated file, computed in memory. */
export function generateBodyTypes(): string {
  const schemas = requestSchemas();
  const defs = collectDefs(schemas, readJson(SHARED));
  const { checker, sourceFile } = check(derivationSource(schemas, defs));
  const aliases = new Map<string, ts.TypeAliasDeclaration>();
  for (const statement of sourceFile.statements) {
    if (ts.isTypeAliasDeclaration(statement)) aliases.set(statement.name.text, statement);
  }
  const typeOf = (alias: string) => {
    const type = checker.getTypeAtLocation(aliases.get(alias)!.name);
    if (type.flags & ts.TypeFlags.Never) throw new Error(`${alias} derives to never`);
    return type;
  };
  const named: Named[] = Object.keys(defs)
    .filter((name) => isNamedDef(defs[name]!))
    .map((key) => ({ key, name: pascal(key), type: typeOf(`Def_${key}`), used: false }));
  const printer = new TypePrinter(checker, sourceFile, named);

  const bodies: string[] = [];
  for (const request of schemas) {
    const doc = [`${request.title}: schemas/${request.file}`, ...(request.description ? [request.description] : [])];
    bodies.push(docComment(doc), `export type ${request.typeName} = ${printer.print(typeOf(request.typeName))};`, '');
  }
  // The named parts the bodies use, in $defs order; printing one can bring another into use (parent → idType).
  const printed = new Map<Named, string>();
  while (named.some((entry) => entry.used && !printed.has(entry))) {
    for (const entry of named.filter((candidate) => candidate.used && !printed.has(candidate))) {
      const { description } = defs[entry.key] as JsonObject;
      const doc = typeof description === 'string' ? `${docComment([description])}\n` : '';
      printed.set(entry, `${doc}export type ${entry.name} = ${printer.print(entry.type, entry.type)};\n`);
    }
  }
  const parts = named.filter((entry) => printed.has(entry)).map((entry) => printed.get(entry)!);

  const out = [
    '// Generated by `npm run gen:types` from schemas/*.schema.json (json-schema-to-ts FromSchema). Do not edit:',
    '// change the schema and regenerate; tests/unit/request-bodies-generated.test.ts fails when this file is stale.',
    '',
    ...bodies,
    '// The $defs entries the bodies share.',
    '',
    ...parts,
  ];
  return format(out.join('\n'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeFileSync(OUTPUT, generateBodyTypes());
  console.log(`wrote ${path.relative(ROOT, OUTPUT)}`);
}
