import type { Root } from 'hast';
import { createLowlight } from 'lowlight';

type LanguageFn = Parameters<ReturnType<typeof createLowlight>['register']>[1];

/**
 * Grammars load on first use, each as its own chunk, so a reply with Python code never downloads
 * the other 30 languages. This module runs in the page (small blocks, and the fallback) and in the
 * highlighting worker (highlightWorker.ts), each with its own grammars.
 */
const LOADERS: Record<string, () => Promise<{ default: LanguageFn }>> = {
  bash: () => import('highlight.js/lib/languages/bash'),
  c: () => import('highlight.js/lib/languages/c'),
  cpp: () => import('highlight.js/lib/languages/cpp'),
  csharp: () => import('highlight.js/lib/languages/csharp'),
  css: () => import('highlight.js/lib/languages/css'),
  diff: () => import('highlight.js/lib/languages/diff'),
  dockerfile: () => import('highlight.js/lib/languages/dockerfile'),
  go: () => import('highlight.js/lib/languages/go'),
  java: () => import('highlight.js/lib/languages/java'),
  javascript: () => import('highlight.js/lib/languages/javascript'),
  json: () => import('highlight.js/lib/languages/json'),
  kotlin: () => import('highlight.js/lib/languages/kotlin'),
  latex: () => import('highlight.js/lib/languages/latex'),
  lua: () => import('highlight.js/lib/languages/lua'),
  makefile: () => import('highlight.js/lib/languages/makefile'),
  markdown: () => import('highlight.js/lib/languages/markdown'),
  php: () => import('highlight.js/lib/languages/php'),
  python: () => import('highlight.js/lib/languages/python'),
  r: () => import('highlight.js/lib/languages/r'),
  ruby: () => import('highlight.js/lib/languages/ruby'),
  rust: () => import('highlight.js/lib/languages/rust'),
  scala: () => import('highlight.js/lib/languages/scala'),
  shell: () => import('highlight.js/lib/languages/shell'),
  sql: () => import('highlight.js/lib/languages/sql'),
  swift: () => import('highlight.js/lib/languages/swift'),
  typescript: () => import('highlight.js/lib/languages/typescript'),
  xml: () => import('highlight.js/lib/languages/xml'),
  yaml: () => import('highlight.js/lib/languages/yaml'),
};

const ALIASES: Record<string, string> = {
  sh: 'bash',
  zsh: 'bash',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  ts: 'typescript',
  tsx: 'typescript',
  py: 'python',
  rb: 'ruby',
  rs: 'rust',
  'c++': 'cpp',
  cs: 'csharp',
  html: 'xml',
  svg: 'xml',
  yml: 'yaml',
  tex: 'latex',
  kt: 'kotlin',
  md: 'markdown',
  docker: 'dockerfile',
  console: 'shell',
};

/** Past this size a block is shown plain: highlighting it would stall the page for little gain. */
export const MAX_HIGHLIGHT_CHARS = 100_000;

const lowlight = createLowlight();
const loading = new Map<string, Promise<boolean>>();

/** The grammar name for a fence's info string, or null when we have none. */
export function grammarFor(language: string | null | undefined): string | null {
  if (!language) return null;
  const name = language.toLowerCase();
  const resolved = ALIASES[name] ?? name;
  return Object.hasOwn(LOADERS, resolved) ? resolved : null;
}

/** Loads a grammar once; resolves false if it cannot be loaded. */
export function loadGrammar(grammar: string): Promise<boolean> {
  let promise = loading.get(grammar);
  if (!promise) {
    const loader = LOADERS[grammar];
    promise = loader
      ? loader().then(
          (module) => {
            lowlight.register(grammar, module.default);
            return true;
          },
          () => false,
        )
      : Promise.resolve(false);
    loading.set(grammar, promise);
  }
  return promise;
}

/** Highlights here, on this thread, loading the grammar first; null when it cannot. */
export async function highlightHere(code: string, grammar: string): Promise<Root | null> {
  if (code.length > MAX_HIGHLIGHT_CHARS || !(await loadGrammar(grammar))) return null;
  return lowlight.highlight(grammar, code);
}

/** The highlighted tree when the grammar is loaded, else null (show the code plain). */
export function highlightIfReady(code: string, grammar: string): Root | null {
  if (code.length > MAX_HIGHLIGHT_CHARS || !lowlight.registered(grammar)) return null;
  return lowlight.highlight(grammar, code);
}
