import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { englishWords } from './support/english';

const root = path.resolve(import.meta.dirname, '../../..');
const SOURCES = ['apps/server/src', 'packages/shared/src'];

/** OpenAPI texts are for the developers who integrate with the API: they may stay bilingual. */
const API_DOC_PROPERTIES = new Set(['summary', 'description']);

/**
 * Not messages: the demo's catalogue and population are sample data (real item texts quote “辽事通”APP
 * and rule expressions); config.ts documents the variables for the English README; the CLI's help.
 */
const NOT_MESSAGES = [
  'apps/server/src/seed/catalog/',
  'apps/server/src/modules/datahub/synthetic.ts',
  'apps/server/src/config.ts',
];
const HELP_TEXTS = new Set(['HELP']);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The text a person reads of a string literal: its literal parts, with `${…}` left out. */
function literalText(node: ts.Node): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  return null;
}

function isApiDoc(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isPropertyAssignment(n)) return API_DOC_PROPERTIES.has(n.name.getText());
    if (ts.isVariableDeclaration(n)) return HELP_TEXTS.has(n.name.getText());
    if (ts.isStatement(n)) return false;
  }
  return false;
}

/** Every Chinese text in the server and shared sources that still carries English words. */
function mixedTexts(): string[] {
  const found: string[] = [];
  for (const dir of SOURCES) {
    for (const file of sourceFiles(path.join(root, dir))) {
      if (NOT_MESSAGES.some((p) => path.relative(root, file).startsWith(p))) continue;
      const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node) => {
        const text = literalText(node);
        if (text !== null && /[\u4e00-\u9fff]/.test(text) && !isApiDoc(node)) {
          const words = englishWords(text);
          if (words.length) {
            const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
            found.push(`${path.relative(root, file)}:${line}: ${words.join(' ')} — ${text.slice(0, 90)}`);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }
  return found;
}

/** The message and hint of every `new AppError(code, status, message, hint)` written as text. */
function appErrorTexts(): { where: string; text: string }[] {
  const found: { where: string; text: string }[] = [];
  for (const dir of SOURCES) {
    for (const file of sourceFiles(path.join(root, dir))) {
      const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node) => {
        if (ts.isNewExpression(node) && /^(AppError|RowProblem)$/.test(node.expression.getText())) {
          const args = node.arguments ?? [];
          const texts = node.expression.getText() === 'AppError' ? args.slice(2, 4) : args.slice(0, 1);
          for (const arg of texts) {
            // The texts a message may be: a literal, either branch of a conditional, either side of ?? or ||.
            const literals: ts.Node[] = [];
            const collect = (n: ts.Node): void => {
              if (literalText(n) !== null) literals.push(n);
              else if (ts.isParenthesizedExpression(n)) collect(n.expression);
              else if (ts.isConditionalExpression(n)) [n.whenTrue, n.whenFalse].forEach(collect);
              else if (
                ts.isBinaryExpression(n) &&
                [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(
                  n.operatorToken.kind,
                )
              )
                [n.left, n.right].forEach(collect);
            };
            collect(arg);
            for (const l of literals) {
              const line = source.getLineAndCharacterOfPosition(l.getStart()).line + 1;
              found.push({ where: `${path.relative(root, file)}:${line}`, text: literalText(l) as string });
            }
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }
  return found;
}

describe('messages people read are Chinese', () => {
  it('every error thrown through AppError says its message and hint in Chinese', () => {
    const texts = appErrorTexts();
    assert.ok(texts.length > 100, `found only ${texts.length} messages: is the scan still reading the code?`);
    const english = texts.filter((t) => t.text.trim() && !/[\u4e00-\u9fff]/.test(t.text));
    assert.deepEqual(
      english.map((t) => `${t.where}: ${t.text}`),
      [],
      'messages without a Chinese word',
    );
  });

  it('no Chinese text in the server or shared code carries English words (codes and units aside)', () => {
    const found = mixedTexts();
    assert.deepEqual(found, [], `${found.length} texts mix English into Chinese:\n${found.join('\n')}`);
  });
});
