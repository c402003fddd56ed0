/**
 * A local npm registry that answers as https://registry.npmjs.org: Verdaccio on 127.0.0.1:443 with
 * a certificate from a throwaway CA (tls.js), no uplinks (it never asks the real registry: a
 * package it does not hold is a 404), holding what `publish()` puts in it. Meant to run inside
 * private-network.js, whose /etc/hosts sends registry.npmjs.org to 127.0.0.1; port 443 needs the
 * root (real or mapped) that namespace gives.
 *
 * Give n8n and npm `clientEnv()`: NODE_EXTRA_CA_CERTS (Node, so n8n) and npm_config_cafile (npm)
 * make them trust the throwaway CA.
 */
'use strict';

const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const https = require('node:https');
const os = require('node:os');
const path = require('node:path');

const { node24 } = require('../../e2e/n8n/install');
const { installVerdaccio } = require('./install');
const { REGISTRY_HOSTS } = require('./private-network');
const { makeThrowawayCa } = require('./tls');

const REGISTRY_URL = `https://${REGISTRY_HOSTS[0]}/`;
const PUBLISHER = { name: 'brevo-event-ci', password: 'local-registry-only' };

class LocalRegistry {
	constructor() {
		this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brevo-registry-'));
		this.tls = makeThrowawayCa(this.dir, REGISTRY_HOSTS);
		/** @type {import('node:child_process').ChildProcess | undefined} */
		this.child = undefined;
		this.url = REGISTRY_URL;
	}

	/** Environment that makes Node (n8n) and npm trust this registry's certificate. */
	clientEnv() {
		return { NODE_EXTRA_CA_CERTS: this.tls.caCert, npm_config_cafile: this.tls.caCert };
	}

	async start() {
		if (process.env.BREVO_PRIVATE_NETWORK !== '1')
			throw new Error(
				'The local registry answers as registry.npmjs.org: start it inside test/browser/registry/private-network.js',
			);
		const { bin } = installVerdaccio();
		const config = path.join(this.dir, 'config.yaml');
		fs.writeFileSync(
			config,
			[
				`storage: ${path.join(this.dir, 'storage')}`,
				'auth:',
				'  htpasswd:',
				`    file: ${path.join(this.dir, 'htpasswd')}`,
				'    max_users: 1',
				// No uplinks and no `proxy:` below: a package that was not published here is a 404.
				'uplinks: {}',
				'packages:',
				"  '**':",
				'    access: $all',
				'    publish: $authenticated',
				'https:',
				`  key: ${this.tls.key}`,
				`  cert: ${this.tls.cert}`,
				'web:',
				'  enable: false',
				'log: { type: stdout, format: pretty, level: warn }',
			].join('\n'),
		);
		const log = fs.openSync(path.join(this.dir, 'verdaccio.log'), 'w');
		this.child = spawn(
			node24().bin,
			[bin, '--config', config, '--listen', 'https://127.0.0.1:443'],
			{ cwd: this.dir, stdio: ['ignore', log, log] },
		);
		for (let waited = 0; waited < 30_000; waited += 250) {
			if (this.child.exitCode !== null)
				throw new Error(`Verdaccio exited with ${this.child.exitCode}: ${this.log()}`);
			if ((await this.get('/-/ping').catch(() => undefined))?.status === 200) return this;
			await new Promise((r) => setTimeout(r, 250));
		}
		throw new Error(`Verdaccio did not answer within 30 s: ${this.log()}`);
	}

	log() {
		return fs.readFileSync(path.join(this.dir, 'verdaccio.log'), 'utf8');
	}

	/**
	 * One HTTPS request to the registry, trusting only the throwaway CA.
	 * @param {string} route @param {{ method?: string, body?: unknown }} [options]
	 * @returns {Promise<{ status: number, body: any }>}
	 */
	get(route, { method = 'GET', body } = {}) {
		return new Promise((resolve, reject) => {
			const request = https.request(
				new URL(route, this.url),
				{
					method,
					ca: fs.readFileSync(this.tls.caCert),
					// A fresh connection each time: a kept-alive one may be closed by Verdaccio meanwhile.
					agent: false,
					headers: body ? { 'content-type': 'application/json' } : {},
				},
				(response) => {
					let text = '';
					response.setEncoding('utf8');
					response.on('data', (chunk) => (text += chunk));
					response.on('end', () => {
						let parsed;
						try {
							parsed = JSON.parse(text);
						} catch {
							parsed = text;
						}
						resolve({ status: response.statusCode ?? 0, body: parsed });
					});
				},
			);
			request.on('error', reject);
			request.end(body === undefined ? undefined : JSON.stringify(body));
		});
	}

	/**
	 * Publishes a package tarball with the npm CLI, as a maintainer would (`npm publish`), under a
	 * user created in this registry only.
	 * @param {string} tarball
	 */
	async publish(tarball) {
		const user = await this.get(`/-/user/org.couchdb.user:${PUBLISHER.name}`, {
			method: 'PUT',
			body: { name: PUBLISHER.name, password: PUBLISHER.password, type: 'user' },
		});
		if (!user.body?.token) throw new Error(`Verdaccio refused the user: ${JSON.stringify(user)}`);
		const npmrc = path.join(this.dir, 'publisher.npmrc');
		fs.writeFileSync(npmrc, `//${REGISTRY_HOSTS[0]}/:_authToken=${user.body.token}\n`);
		execFileSync(
			'npm',
			['publish', tarball, '--registry', this.url, '--ignore-scripts', '--access', 'public'],
			{
				cwd: this.dir,
				stdio: 'pipe',
				env: {
					...process.env,
					...this.clientEnv(),
					PATH: `${path.dirname(node24().bin)}:${process.env.PATH}`,
					npm_config_userconfig: npmrc,
					npm_config_cache: path.join(this.dir, 'npm-cache'),
				},
			},
		);
	}

	async stop() {
		const child = this.child;
		if (child && child.exitCode === null) {
			await new Promise((resolve) => {
				child.once('exit', resolve);
				child.kill('SIGTERM');
			});
		}
		fs.rmSync(this.dir, { recursive: true, force: true });
	}
}

module.exports = { LocalRegistry, REGISTRY_URL };
