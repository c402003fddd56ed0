// Lint rules for everything under test/: the tests, and the plain Node.js programs they run (the
// Brevo sandbox, the n8n installers and CLI driver, the local registry, the queue-mode harness,
// npm start, the scan, the benchmark). `npm run lint` runs n8n-node lint with ESLint's
// per-directory config lookup: nodes/ and credentials/ keep n8n's stock config (the root
// eslint.config.mjs, as n8n runs it), while this code, which may use node:fs, child processes and
// made-up keys, gets these rules.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
		languageOptions: { globals: { ...globals.node, ...globals.jest } },
		rules: {
			// Tests reach into results with `!` once they have asserted they exist.
			'@typescript-eslint/no-non-null-assertion': 'off',
		},
	},
	{
		files: ['**/*.js'],
		extends: [js.configs.recommended],
		languageOptions: { sourceType: 'commonjs', globals: { ...globals.node, ...globals.jest } },
	},
	{
		files: ['**/*.mjs'],
		extends: [js.configs.recommended],
		languageOptions: { sourceType: 'module', globals: globals.node },
	},
);
