import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { layerZones } from './eslint.layers.js';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'crypto'];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: ['**/*.{js,cjs,mjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      // React ignores what an event handler returns, and our async handlers end in named actions
      // that show their own errors (errors as data); a promise passed where a callback's value
      // matters (an argument, a property) is still an error.
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { attributes: false } },
      ],
    },
  },
  {
    // The renderer has no classes and no `this`: its store actions and named actions are
    // closures, so taking one out of its object is always safe.
    files: ['renderer/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
  {
    // Tests: Vitest's asymmetric matchers (expect.any, expect.objectContaining) are typed `any`,
    // and fakes implement async interfaces (providers, streams, resolvers) without awaiting.
    files: ['**/*.test.{ts,tsx}', 'e2e/**/*.ts', 'testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // The layer tables (eslint.layers.js) and no import cycles, in the app's own folders. Tests
    // are left out: a test may assemble any layers it needs, and nothing imports a test.
    files: ['electron/**/*.ts', 'renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    ignores: ['**/*.test.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      // Without the TypeScript extensions import-x skips .ts files when it follows imports.
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // One file, one job: past 400 lines a file usually holds two. One that is truly one unit says
    // why at its top, in the suppression's reason (`eslint-disable max-lines -- <why>`).
    files: ['electron/**/*.ts', 'renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    // Test fixtures are data (labelled replies, corpora), not code with jobs to split.
    ignores: ['**/*.test.{ts,tsx}', '**/fixtures/**'],
    rules: { 'max-lines': ['error', { max: 400 }] },
  },
  {
    files: [
      'electron/**/*.ts',
      'scripts/**/*.ts',
      'e2e/**/*.ts',
      'testing/**/*.ts',
      '*.config.{ts,js,cjs}',
      'build/**/*.cjs',
    ],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'The renderer runs in a browser: no Node modules.' },
            {
              group: ['electron', '**/electron/**'],
              message: 'The renderer talks to main only through the contract.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests run under Node (Vitest): they may read files and use the TypeScript compiler.
    files: ['renderer/**/*.test.{ts,tsx}'],
    languageOptions: { globals: globals.node },
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'shared/ runs in both processes: no Node modules.' },
            {
              group: ['electron', '**/electron/**', '**/renderer/**'],
              message: 'shared/ imports no app folder.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron'],
              message: 'electron/core runs under plain Node: never import electron.',
            },
            {
              group: ['**/renderer/**', '**/main/**', '**/host/**'],
              message: 'core depends on shared/ only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/host/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', '**/main/**'],
              message: 'The host is a plain Node adapter over core.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/host/**', '**/renderer/**'],
              message: 'main is a thin adapter over core.',
            },
          ],
        },
      ],
    },
  },
);
