/**
 * Browser tests: n8n's editor in headless Chromium, inside a private network. Run them with
 * `npm run test:browser` (it installs what they need, then enters the network: see
 * test/browser/registry/private-network.js).
 */
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/browser'],
	testMatch: ['**/*.browser.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
	// Each journey clicks through a real n8n on a machine that may be busy.
	testTimeout: 240_000,
	maxWorkers: 1,
};
