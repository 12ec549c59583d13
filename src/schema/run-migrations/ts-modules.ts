import { existsSync, rmSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ts as TypeScript } from 'ts-morph';

/** What an extensionless or `.js` relative specifier may name, in the order tsc's resolution tries. */
const PROBES = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '/index.ts', '/index.js'];
const TS_FILE = /\.[cm]?ts$/;

/**
 * Imports TypeScript on Node without a loader: each file is transpiled (TypeScript bundled in
 * ts-morph) to an ESM `.mjs` next to the original, so its bare imports (`kysely`) resolve from
 * the same folder. Relative imports of other TypeScript files (`../utils`) are transpiled the
 * same way and their specifiers rewritten; extensionless JavaScript ones gain the extension
 * ESM needs. Path aliases (`@/db`) are not resolved. The copies stay until `removeAll`.
 */
export class TemporaryModules {
  private readonly written = new Set<string>();
  private readonly tag = `${process.pid}-${Date.now().toString(36)}`;
  private ts: typeof TypeScript | undefined;

  async importTypeScript(file: string): Promise<unknown> {
    // Loaded on first use: the compiler takes a second to load and plain JavaScript needs none of it.
    this.ts ??= (await import('ts-morph')).ts;
    const pending = [file];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      if (!this.written.has(this.copyOf(next))) await this.emit(this.ts, next, pending);
    }
    return import(pathToFileURL(this.copyOf(file)).href);
  }

  /** Synchronous, so a signal handler can call it before the process exits. */
  removeAll(): void {
    for (const copy of this.written) rmSync(copy, { force: true });
    this.written.clear();
  }

  private copyOf(file: string): string {
    return path.join(path.dirname(file), `.${path.basename(file)}.${this.tag}.mjs`);
  }

  private async emit(ts: typeof TypeScript, file: string, pending: string[]): Promise<void> {
    const output = ts.transpileModule(await readFile(file, 'utf8'), {
      fileName: file,
      reportDiagnostics: true,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false, verbatimModuleSyntax: false },
      // After the TypeScript transform: type-only imports are gone and never pull a file in.
      transformers: { after: [rewriteSpecifiers(ts, (specifier) => this.redirect(file, specifier, pending))] },
    });
    const diagnostic = output.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
    if (diagnostic !== undefined) {
      const at = diagnostic.file !== undefined && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
      throw new Error(`${file}${at === undefined ? '' : `:${at.line + 1}:${at.character + 1}`}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`);
    }
    const copy = this.copyOf(file);
    // Recorded before writing: a write that fails half-way still leaves something to remove.
    this.written.add(copy);
    await writeFile(copy, output.outputText);
  }

  /** The specifier the copy of `from` uses for `specifier`; undefined keeps it as written. */
  private redirect(from: string, specifier: string, pending: string[]): string | undefined {
    if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
    const target = resolveRelative(path.resolve(path.dirname(from), specifier));
    if (target === undefined) return undefined;
    if (TS_FILE.test(target)) pending.push(target);
    const resolved = TS_FILE.test(target) ? this.copyOf(target) : target;
    const relative = path.relative(path.dirname(from), resolved).split(path.sep).join('/');
    return relative.startsWith('.') ? relative : `./${relative}`;
  }
}

/** The file a relative specifier names: as written, a `.js` written for a `.ts` source, or probed. */
function resolveRelative(base: string): string | undefined {
  const candidates = [base];
  const js = /\.([cm]?)js$/.exec(base);
  if (js !== null) candidates.push(`${base.slice(0, -js[0].length)}.${js[1] ?? ''}ts`);
  candidates.push(...PROBES.map((p) => base + p));
  return candidates.find(isFile);
}

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}

/** Rewrites the specifiers of static imports, re-exports and `import('...')` calls. */
function rewriteSpecifiers(ts: typeof TypeScript, redirect: (specifier: string) => string | undefined): TypeScript.TransformerFactory<TypeScript.SourceFile> {
  return (context) => {
    const { factory } = context;
    const replaced = (node: TypeScript.Expression | undefined): TypeScript.StringLiteral | undefined => {
      if (node === undefined || !ts.isStringLiteral(node)) return undefined;
      const next = redirect(node.text);
      return next === undefined ? undefined : factory.createStringLiteral(next);
    };
    const visit = (node: TypeScript.Node): TypeScript.Node => {
      if (ts.isImportDeclaration(node)) {
        const specifier = replaced(node.moduleSpecifier);
        if (specifier !== undefined) return factory.updateImportDeclaration(node, node.modifiers, node.importClause, specifier, node.attributes);
      } else if (ts.isExportDeclaration(node)) {
        const specifier = replaced(node.moduleSpecifier);
        if (specifier !== undefined) return factory.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, specifier, node.attributes);
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const specifier = replaced(node.arguments[0]);
        if (specifier !== undefined) return factory.updateCallExpression(node, node.expression, node.typeArguments, [specifier, ...node.arguments.slice(1)]);
      }
      return ts.visitEachChild(node, visit, context);
    };
    return (file) => ts.visitEachChild(file, visit, context);
  };
}
