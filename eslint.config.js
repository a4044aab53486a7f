// Lint: the layer boundaries of DESIGN.md, written down once, in code.
import tseslint from 'typescript-eslint';

const DOMAINS = ['tracking', 'registry', 'artifacts', 'serving', 'data', 'auth', 'datasets', 'lineage', 'monitoring'];
const LAYERS = ['cli', 'http', 'store', 'blob', ...DOMAINS];

/** Forbid imports of the named top-level folders from files in one folder. */
const forbid = (files, folders, why) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', {
      patterns: folders.map((f) => ({ group: [`**/${f}/*`, `**/${f}/**`, `../${f}`, `../../${f}`], message: `${why} (see DESIGN.md, "Layers")` })),
    }],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'ui/**', 'bench/**', 'scripts/**', 'tests/**', '.venv/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['src/**/*.test.ts', 'src/testing/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  forbid(['src/core/**'], LAYERS, 'core/ imports nobody'),
  forbid(['src/store/**'], ['cli', 'http', 'blob', ...DOMAINS], 'store/ speaks SQL and imports only core/'),
  forbid(['src/blob/**'], ['cli', 'http', 'store', ...DOMAINS], 'blob/ touches bytes and imports only core/'),
  ...DOMAINS.map((d) => forbid([`src/${d}/**`], ['cli', 'http'], 'a capability does not know about HTTP or the CLI')),
  forbid(['src/http/**'], ['cli', 'store', 'blob'], 'http/ validates and calls services; SQL and bytes stay below it'),
);
