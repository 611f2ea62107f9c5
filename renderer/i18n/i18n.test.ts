import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/errors';
import { LOCALES, matchUiLanguage, translate, translateError, UI_LANGUAGES } from './i18n';
import { en } from './locales/en';

const rendererRoot = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.tsx') && !full.endsWith('.test.tsx') ? [full] : [];
  });
}

/** Attributes whose values people read or hear. */
const VISIBLE_ATTRIBUTES = new Set([
  'aria-label',
  'placeholder',
  'title',
  'alt',
  'aria-description',
]);

/** Finds user-visible text written straight into JSX instead of going through `t()`. */
function hardCodedStrings(file: string): string[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TSX,
  );
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && /\p{L}/u.test(node.text)) found.push(node.text.trim());
    if (
      ts.isJsxAttribute(node) &&
      VISIBLE_ATTRIBUTES.has(node.name.getText()) &&
      node.initializer &&
      ts.isStringLiteral(node.initializer) &&
      /\p{L}/u.test(node.initializer.text)
    ) {
      found.push(`${node.name.getText()}="${node.initializer.text}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.map((text) => `${path.relative(rendererRoot, file)}: ${text}`);
}

describe('locales', () => {
  it.each(UI_LANGUAGES)('%s has every key of en, and no key en lacks', (language) => {
    const keys = Object.keys(LOCALES[language]).sort();
    expect(keys).toEqual(Object.keys(en).sort());
    for (const key of keys) expect(LOCALES[language][key as keyof typeof en].trim()).not.toBe('');
  });

  it.each(UI_LANGUAGES)('%s keeps the placeholders of en', (language) => {
    for (const [key, text] of Object.entries(en)) {
      const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(placeholders(LOCALES[language][key as keyof typeof en]), key).toEqual(
        placeholders(text),
      );
    }
  });

  it('has a message for every error code', () => {
    for (const code of ERROR_CODES) {
      expect(Object.hasOwn(en, `errors.${code}`), code).toBe(true);
    }
  });

  it('no component writes user-visible text directly', () => {
    const offenders = sourceFiles(rendererRoot).flatMap(hardCodedStrings);
    expect(offenders).toEqual([]);
  });
});

describe('translate', () => {
  it('fills placeholders and formats numbers for the language', () => {
    expect(translate('fr', 'errors.VALIDATION', { detail: 'x' })).toBe(
      'La requête a été refusée : x',
    );
    expect(
      translateError('zh-Hans', { code: 'PROVIDER_AUTH', message: 'k', retryable: false }),
    ).toContain('密钥');
  });

  it('follows the system language, English otherwise', () => {
    expect(matchUiLanguage(['fr-CA', 'en'])).toBe('fr');
    expect(matchUiLanguage(['zh-CN'])).toBe('zh-Hans');
    expect(matchUiLanguage(['de-DE', 'en-GB'])).toBe('en');
    expect(matchUiLanguage(['pt-BR'])).toBe('en');
  });
});
