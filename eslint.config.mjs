import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const CHILD_PROCESS = {
  name: 'child_process',
  message: 'Spawn processes through common/shell.ts (the one shell seam).',
};

/** One-way imports inside agent-app (docs/development.md, Layout); the shell seam rule still holds there. */
const agentLayer = (files, folders, message) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: [CHILD_PROCESS],
        patterns: [{ group: folders.flatMap((f) => [`**/${f}`, `**/${f}/*`]), message }],
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'dist-packages/**', 'node_modules/**', 'coverage/**', 'assets/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: {
      // Sanitisers and protocol patterns match control characters on purpose.
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [CHILD_PROCESS],
        },
      ],
    },
  },
  agentLayer(
    ['agent-app/core/**/*.ts'],
    ['platform', 'setup', 'cli', 'daemon', 'electron'],
    'agent-app/core is the agent model: probes are passed in, it imports no platform, set-up or program.',
  ),
  agentLayer(
    ['agent-app/platform/**/*.ts'],
    ['setup', 'cli', 'daemon', 'electron'],
    'agent-app/platform holds probes for the core; the set-up and the programs import it, not the other way.',
  ),
  agentLayer(
    ['agent-app/setup/**/*.ts', 'agent-app/cli/**/*.ts'],
    ['daemon', 'electron'],
    'agent-app/setup and agent-app/cli are shared by the daemon and the tray, so they import neither.',
  ),
  agentLayer(
    ['agent-app/electron/**/*.ts'],
    ['daemon'],
    'The tray does not import the daemon: what both use lives in agent-app/setup and agent-app/cli.',
  ),
  {
    files: [
      'common/shell.ts',
      'common/shell-windows.ts',
      '__tests__/**/*.ts',
      'lab/**/*.ts',
      'bench/**/*.ts',
      'scripts/**/*.ts',
    ],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['host/policy/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'fs',
                'node:*',
                'child_process',
                'zx',
                '../proxmox/*',
                '../transport/*',
                '../checks/*',
                '../sequence/*',
                '../state/*',
              ],
              message: 'host/policy is pure: plain data and a clock in, plain data out.',
            },
          ],
        },
      ],
    },
  },
);
