/**
 * Installs the pinned local npm registry (Verdaccio, test/browser/registry/verdaccio/package-lock.json)
 * into the cache folder of the n8n installs, reused between runs. Verdaccio 6.8.0 is the version
 * that installs here; its `node-fetch` is overridden to 2.7.0 (see that folder's package.json).
 */
'use strict';

const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { node24 } = require('../../e2e/n8n/install');

function verdaccioInstallDir() {
	const source = path.join(__dirname, 'verdaccio');
	const lock = fs.readFileSync(path.join(source, 'package-lock.json'));
	const hash = createHash('sha256').update(lock).digest('hex').slice(0, 12);
	const cache =
		process.env.BREVO_E2E_CACHE ?? path.join(os.homedir(), '.cache', 'n8n-nodes-brevo-event');
	return { source, dir: path.join(cache, `verdaccio-${hash}`) };
}

/** @returns {{ dir: string, bin: string }} the install folder and Verdaccio's entry script */
function installVerdaccio() {
	const { source, dir } = verdaccioInstallDir();
	const marker = path.join(dir, '.installed');
	const bin = path.join(dir, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
	if (fs.existsSync(marker) && fs.existsSync(bin)) return { dir, bin };

	if (process.env.BREVO_PRIVATE_NETWORK === '1')
		throw new Error(
			'Verdaccio is not installed: run `node test/browser/registry/install.js` first, outside the private network',
		);
	const started = Date.now();
	console.log(`Installing Verdaccio into ${dir} (first run only, about a minute)…`);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	for (const file of ['package.json', 'package-lock.json'])
		fs.copyFileSync(path.join(source, file), path.join(dir, file));
	execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
		cwd: dir,
		env: { ...process.env, PATH: `${path.dirname(node24().bin)}:${process.env.PATH}` },
		stdio: 'inherit',
	});
	const seconds = Math.round((Date.now() - started) / 1000);
	fs.writeFileSync(marker, `${new Date().toISOString()} ${seconds} s\n`);
	console.log(`Verdaccio installed in ${seconds} s`);
	return { dir, bin };
}

module.exports = { installVerdaccio, verdaccioInstallDir };

if (require.main === module) installVerdaccio();
