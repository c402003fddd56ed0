/**
 * Drives a real n8n through its CLI, headless: a throwaway user folder with this package installed
 * the way the community-nodes panel does it (the `npm pack` tarball unpacked under
 * .n8n/nodes/node_modules/n8n-nodes-brevo-event), credentials and workflows imported, workflows run
 * with `n8n execute` and their result read from n8n's JSON log (the benchmark's way), or `n8n
 * start` for server.js (the end-to-end tests' way: one boot per file instead of one per step).
 */
'use strict';

const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { installN8n, node24, ROOT } = require('./install');

const PACKAGE_NAME = 'n8n-nodes-brevo-event';

/** Packs this package as `npm publish` would (needs `npm run build` first); returns the tarball's path. */
function packPackage(destination) {
	const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', destination], {
		cwd: ROOT,
		encoding: 'utf8',
	});
	return path.join(destination, out.trim().split('\n').pop() ?? '');
}

/** Packs this package and unpacks it where n8n's panel installs packages. */
function installPackageInto(userFolder) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'brevo-event-pack-'));
	try {
		const tarball = path.basename(packPackage(work));
		fs.rmSync(target, { recursive: true, force: true });
		fs.mkdirSync(target, { recursive: true });
		execFileSync('tar', ['-xzf', path.join(work, tarball), '-C', target, '--strip-components=1']);
		// The panel keeps a package.json in the nodes folder listing what it installed.
		fs.writeFileSync(
			path.join(nodesDir, 'package.json'),
			JSON.stringify(
				{
					name: 'installed-nodes',
					private: true,
					dependencies: { [PACKAGE_NAME]: `file:${tarball}` },
				},
				null,
				2,
			),
		);
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
	return target;
}

/**
 * A port below Linux's ephemeral range (32768–60999), where outgoing connections and servers on
 * port 0 (the Brevo sandboxes) take theirs: above 32768, a busy test run's own clients took n8n's port
 * during its boot (a CI run, "n8n start exited with 1").
 */
function randomPort() {
	return 20_000 + Math.floor(Math.random() * 12_000);
}

/** Whether nothing listens on `port` on any address right now (n8n listens on `::`). */
async function isFree(port) {
	return await new Promise((resolve) => {
		const probe = net.createServer();
		probe.once('error', () => resolve(false));
		probe.listen(port, () => probe.close(() => resolve(true)));
	});
}

/** A free `port` whose `port + 1` is free too (n8n's task broker takes the next one). */
async function freePort() {
	for (;;) {
		const port = randomPort();
		if ((await isFree(port)) && (await isFree(port + 1))) return port;
	}
}

class PortTaken extends Error {
	constructor(port) {
		super(`port ${port} or ${port + 1} was taken while n8n booted`);
	}
}

class N8nCli {
	/**
	 * @param {{ variant?: string, userFolder?: string, env?: Record<string, string> }} [options]
	 */
	constructor(options = {}) {
		const { bin } = installN8n(options.variant);
		this.bin = bin;
		this.node = node24().bin;
		this.temporary = !options.userFolder;
		this.userFolder =
			options.userFolder ?? fs.mkdtempSync(path.join(os.tmpdir(), 'brevo-event-n8n-'));
		this.env = {
			PATH: `${path.dirname(this.node)}:${process.env.PATH}`,
			HOME: this.userFolder,
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: 'brevo-event-e2e-encryption-key',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_LOG_FORMAT: 'json',
			N8N_LOG_LEVEL: 'info',
			// A port of its own, so that several n8n processes (parallel test runs, other checkouts)
			// never fight over n8n's default 5679.
			N8N_RUNNERS_BROKER_PORT: String(options.env?.N8N_RUNNERS_BROKER_PORT ?? randomPort()),
			GENERIC_TIMEZONE: 'Europe/Paris',
			...options.env,
		};
	}

	installPackage() {
		return installPackageInto(this.userFolder);
	}

	/** Removes the user folder (database, imported credentials) when it was a temporary one. */
	cleanup() {
		if (this.temporary) fs.rmSync(this.userFolder, { recursive: true, force: true });
	}

	/**
	 * @param {string[]} args
	 * @param {{ onSpawn?: (pid: number) => void }} [hooks]
	 * @returns {Promise<{ code: number | null, signal: string | null, stdout: string, stderr: string, ms: number }>}
	 *   `code` is null when a signal ended n8n (`signal` says which).
	 */
	run(args, hooks = {}) {
		const started = Date.now();
		// Output goes to files, not pipes: n8n exits right after logging the run, and a pipe loses
		// what was not flushed yet (measured: a 10,000-item result cut at 4.3 MB); file writes are synchronous.
		const out = path.join(this.userFolder, 'cli.stdout');
		const err = path.join(this.userFolder, 'cli.stderr');
		const outFd = fs.openSync(out, 'w');
		const errFd = fs.openSync(err, 'w');
		return new Promise((resolve, reject) => {
			const child = spawn(this.node, [this.bin, ...args], {
				env: this.env,
				cwd: this.userFolder,
				stdio: ['ignore', outFd, errFd],
			});
			if (child.pid) hooks.onSpawn?.(child.pid);
			child.on('error', reject);
			child.on('close', (code, signal) => {
				fs.closeSync(outFd);
				fs.closeSync(errFd);
				const stdout = fs.readFileSync(out, 'utf8');
				const stderr = fs.readFileSync(err, 'utf8');
				// Something outside n8n ended it: say what, for the failing test's output.
				if (signal)
					console.warn(`n8n ${args[0]} ended by ${signal} after ${Date.now() - started} ms`);
				resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
			});
		});
	}

	/**
	 * Starts `n8n start` and resolves once its REST API answers (with `editor`, once the editor's
	 * pages are served too); `stop()` ends it. On free ports of its own, chosen again when another
	 * process took one during the boot (n8n then exits: "n8n's port … is already in use").
	 * @param {{ editor?: boolean, timeoutMs?: number }} [options]
	 */
	async startServer(options = {}) {
		for (let attempt = 1; ; attempt++) {
			try {
				return await this.startServerOn(await freePort(), options);
			} catch (error) {
				if (!(error instanceof PortTaken) || attempt === 3) throw error;
			}
		}
	}

	/** @param {number} port @param {{ editor?: boolean, timeoutMs?: number }} [options] */
	async startServerOn(port, { editor = false, timeoutMs = 120_000 } = {}) {
		const env = {
			...this.env,
			N8N_PORT: String(port),
			N8N_RUNNERS_BROKER_PORT: String(port + 1),
			// Without the editor, n8n skips rewriting its whole editor bundle into its static cache at
			// each start: 8.6 → 5.6 s to a ready REST API, 10 → 6.3 s of CPU (2.41, measured).
			...(editor ? {} : { N8N_DISABLE_UI: 'true' }),
		};
		const logFile = path.join(this.userFolder, 'server.log');
		const log = fs.openSync(logFile, 'w');
		const child = spawn(this.node, [this.bin, 'start'], {
			env,
			cwd: this.userFolder,
			stdio: ['ignore', log, log],
		});
		const url = `http://127.0.0.1:${port}`;
		const stop = () =>
			new Promise((resolve) => {
				if (child.exitCode !== null) return resolve(undefined);
				child.once('exit', () => resolve(undefined));
				child.kill('SIGTERM');
			});
		// /healthz answers before the REST routes are registered, /rest/settings only after; the
		// editor's pages come last (measured: 45 s after /rest/settings on a loaded machine). While
		// booting n8n answers every route 200 with an HTML "starting up" page: wait for the real one.
		const answers = async (route, check) =>
			await fetch(`${url}${route}`, { signal: AbortSignal.timeout(5000) }).then(
				async (r) => r.ok && check(r.headers.get('content-type') ?? '', await r.text()),
				() => false,
			);
		const ready = async () =>
			editor
				? (await answers('/rest/settings', (type) => /json/i.test(type))) &&
					(await answers('/signin', (_type, body) => body.includes('id="app"')))
				: await restApiUp(url);
		for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
			if (child.exitCode !== null) {
				const said = fs.readFileSync(logFile, 'utf8');
				if (/port \d+ is already in use/.test(said)) throw new PortTaken(port);
				throw new Error(
					`n8n start exited with ${child.exitCode}; the end of its log:\n${said.slice(-3000)}`,
				);
			}
			if (await ready()) return { url, stop, pid: child.pid };
			await new Promise((r) => setTimeout(r, 500));
		}
		await stop();
		throw new Error(`n8n did not answer within ${timeoutMs / 1000} s`);
	}

	/** A module of this n8n's own install, e.g. `flatted`, with which n8n stores run data. */
	n8nModule(name) {
		return require(require.resolve(name, { paths: [path.dirname(this.bin)] }));
	}

	/** @param {string} name @param {unknown} data */
	writeJson(name, data) {
		const file = path.join(this.userFolder, name);
		fs.writeFileSync(file, JSON.stringify(data, null, 2));
		return file;
	}

	/** `n8n import:<kind> --input=<file>`, with `data` written to that file first. */
	async import(kind, data) {
		const result = await this.run([
			`import:${kind}`,
			`--input=${this.writeJson(`${kind}.json`, data)}`,
		]);
		if (result.code !== 0)
			throw new Error(`import:${kind} failed: ${result.stdout}\n${result.stderr}`);
	}

	async importCredentials(credentials) {
		await this.import('credentials', credentials);
	}

	async importWorkflows(workflows) {
		await this.import('workflow', workflows);
	}

	/**
	 * Runs a workflow; returns n8n's exit code, the run (IRun: data.resultData.runData…) and the log.
	 * @param {string} id
	 * @param {{ onSpawn?: (pid: number) => void }} [hooks]
	 */
	async execute(id, hooks = {}) {
		const result = await this.run(['execute', `--id=${id}`, '--rawOutput'], hooks);
		let run;
		for (const line of result.stdout.split('\n')) {
			const record = parseJson(line);
			const message = typeof record?.message === 'string' ? parseJson(record.message) : undefined;
			if (message?.data?.resultData) run = message;
		}
		if (!run) {
			const direct = parseJson(result.stdout.slice(result.stdout.indexOf('{')));
			if (direct?.data?.resultData) run = direct;
		}
		return { ...result, run };
	}
}

/**
 * Whether n8n's REST API answers (without the editor, /rest/settings, the editor's settings, is
 * not served): /rest/login answers 401 in JSON until someone signs in.
 */
async function restApiUp(url) {
	// A time limit: whatever else holds the port may accept and never answer.
	return await fetch(`${url}/rest/login`, { signal: AbortSignal.timeout(5000) }).then(
		(r) => r.status === 401 && /json/i.test(r.headers.get('content-type') ?? ''),
		() => false,
	);
}

function parseJson(text) {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** The output items of node `name` in a run (first run of the node, main output 0). */
function nodeOutput(run, name) {
	return run?.data?.resultData?.runData?.[name]?.[0]?.data?.main?.[0];
}

module.exports = {
	N8nCli,
	freePort,
	installPackageInto,
	packPackage,
	nodeOutput,
	randomPort,
	restApiUp,
	PACKAGE_NAME,
};
