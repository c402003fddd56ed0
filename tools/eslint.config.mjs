// Lint rules for the development tools (the Brevo sandbox, the n8n installer and CLI driver,
// npm start, the scan): plain Node.js programs, not code that runs inside n8n. See
// test/eslint.config.mjs for why they have their own config.
import js from '@eslint/js';
import globals from 'globals';

export default [
	{
		files: ['**/*.js'],
		...js.configs.recommended,
		languageOptions: { sourceType: 'commonjs', globals: globals.node },
	},
	{
		files: ['**/*.mjs'],
		...js.configs.recommended,
		languageOptions: { sourceType: 'module', globals: globals.node },
	},
];
