// The import graph of the repository's own code, read with the TypeScript parser (not regexes) so
// comments, strings and type-only imports are told apart. Used by lib/architecture.test.ts.
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

export type SourceFile = { path: string; text: string };

export type ImportEdge = {
  /** Repo-relative path of the importing file, e.g. `lib/mail/send.ts`. */
  from: string;
  /** The specifier as written. */
  specifier: string;
  /** Repo-relative path of the imported file, or the package name (`pg`, `node:fs`). */
  target: string;
  /** True when the target is one of our files (resolved through `@/` or a relative path). */
  local: boolean;
  /** `import type …` / `export type …` / every named binding `type`: erased at build time. */
  typeOnly: boolean;
  /** `import('…')`: loaded when the code runs, not when the module loads. */
  dynamic: boolean;
  line: number;
};

export type ModuleInfo = {
  path: string;
  directive: 'use client' | 'use server' | null;
  serverOnly: boolean;
  imports: ImportEdge[];
};

const EXTENSIONS = ['.ts', '.tsx', '/index.ts', '/index.tsx'];
const BUILTINS = new Set(builtinModules);

export function isNodeBuiltin(target: string): boolean {
  return target.startsWith('node:') || BUILTINS.has(target.split('/')[0]!);
}

/** Reads every .ts/.tsx file under `dirs` (relative to `root`), skipping generated folders. */
export function readSources(root: string, dirs: string[], rootFiles: string[] = []): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(child);
      } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        out.push({ path: child, text: fs.readFileSync(path.join(root, child), 'utf8') });
      }
    }
  };
  for (const dir of dirs) walk(dir);
  for (const file of rootFiles) {
    if (fs.existsSync(path.join(root, file))) out.push({ path: file, text: fs.readFileSync(path.join(root, file), 'utf8') });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

function resolveLocal(from: string, specifier: string, known: Set<string>): string | null {
  let base: string;
  if (specifier.startsWith('@/')) base = specifier.slice(2);
  else if (specifier.startsWith('.')) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  else return null;
  if (known.has(base)) return base;
  for (const ext of EXTENSIONS) if (known.has(base + ext)) return base + ext;
  // A JSON file, a stylesheet or a file outside the scanned folders: keep the path as written.
  return base;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import 'x'` runs x
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  if (!bindings || !ts.isNamedImports(bindings)) return false;
  return bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

function isTypeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
}

export function parseModule(file: SourceFile, known: Set<string>): ModuleInfo {
  const sf = ts.createSourceFile(
    file.path,
    file.text,
    ts.ScriptTarget.Latest,
    true,
    file.path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const imports: ImportEdge[] = [];
  const add = (specifier: string, node: ts.Node, typeOnly: boolean, dynamic = false) => {
    const resolved = resolveLocal(file.path, specifier, known);
    imports.push({
      from: file.path,
      specifier,
      target: resolved ?? specifier,
      local: resolved !== null,
      typeOnly,
      dynamic,
      line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
    });
  };
  let directive: ModuleInfo['directive'] = null;
  let serverOnly = false;
  for (const statement of sf.statements) {
    if (ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression)) {
      const value = statement.expression.text;
      if (value === 'use client' || value === 'use server') directive ??= value;
      continue;
    }
    break;
  }
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      if (node.moduleSpecifier.text === 'server-only') serverOnly = true;
      add(node.moduleSpecifier.text, node, isTypeOnlyImport(node));
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node, isTypeOnlyExport(node));
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node.arguments[0].text, node, false, true);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, node, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { path: file.path, directive, serverOnly, imports };
}

export function buildGraph(files: SourceFile[]): Map<string, ModuleInfo> {
  const known = new Set(files.map((f) => f.path));
  return new Map(files.map((f) => [f.path, parseModule(f, known)]));
}
