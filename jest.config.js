/**
 * One jest config, one project per kind of test; the npm scripts pick them:
 * - unit (`npm run test:unit`): unit tests, execute() with a mocked context, and the engine tests
 *   (the node inside n8n-core's real engine); in-process, against the Brevo sandbox on 127.0.0.1;
 * - e2e (`npm run test:e2e`): a real n8n (child processes) running this package;
 * - browser (`npm run test:browser`): n8n's editor in headless Chromium, inside a private network
 *   (the script installs what they need, then enters the network: test/browser/registry/);
 * - queue (`npm run test:queue`): n8n's queue mode, PostgreSQL, Redis, a main and two workers.
 * The browser and queue projects start processes that take both cores: their scripts run them one
 * file at a time (--runInBand). The e2e files run two at a time: much of their time is waiting
 * (the trigger's polls, a sandbox's rate limit), and each file has its own n8n, sandbox and ports.
 */
const base = {
	testEnvironment: 'node',
	// ts-jest compiles each file on its own (`isolatedModules` in test/tsconfig.json): a third of
	// the CPU of type-checking every file; `npm run typecheck` checks test/'s types once instead.
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
	// jest's testTimeout holds for every project at once; each project sets its own here instead.
	setupFilesAfterEnv: ['<rootDir>/test/jest/project-timeout.setup.js'],
};

/** @type {import('jest').Config} */
module.exports = {
	// Passing files print one PASS line; a failing file prints its console output and failures whole.
	reporters: ['<rootDir>/test/jest/quiet-when-passing.reporter.js', 'summary'],
	// Files that mostly wait (the trigger's poll times) start first, also in a fresh clone.
	testSequencer: '<rootDir>/test/jest/waiting-first.sequencer.js',
	projects: [
		{
			...base,
			displayName: 'unit',
			roots: ['<rootDir>/test'],
			testMatch: ['**/*.test.ts'],
			testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/queue/', '/test/browser/'],
			globals: { PROJECT_TIMEOUT_MS: 5_000 },
		},
		{
			...base,
			displayName: 'e2e',
			roots: ['<rootDir>/test/e2e'],
			testMatch: ['**/*.e2e.test.ts'],
			// The first run installs n8n into a cache folder (minutes); each `n8n execute` boots n8n
			// (seconds).
			globals: { PROJECT_TIMEOUT_MS: 120_000 },
		},
		{
			...base,
			displayName: 'browser',
			roots: ['<rootDir>/test/browser'],
			testMatch: ['**/*.browser.test.ts'],
			// Each journey clicks through a real n8n on a machine that may be busy.
			globals: { PROJECT_TIMEOUT_MS: 240_000 },
		},
		{
			...base,
			displayName: 'queue',
			roots: ['<rootDir>/test/queue'],
			testMatch: ['**/*.queue.test.ts'],
			// PostgreSQL, Redis, an n8n main and two workers, minutes long.
			globals: { PROJECT_TIMEOUT_MS: 15 * 60_000 },
		},
	],
};
