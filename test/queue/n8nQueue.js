/**
 * n8n in queue mode (its scale-out setup), headless: PostgreSQL and Redis as plain processes, one
 * `n8n start` (main: editor, REST API, webhooks, enqueues executions) and N `n8n worker`
 * processes (run the executions), sharing one user folder and encryption key, each with its own
 * ports. The package is installed as the community-nodes panel does, credentials and workflows are
 * imported and published with n8n's CLI before the processes start.
 */
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { freePort, N8nCli, restApiUp } = require('../e2e/n8n/cli');
const { startPostgres, startRedis, stopProcess, waitFor } = require('./services');

class N8nQueue {
	/** @param {{ workers?: number, concurrency?: number }} [options] */
	constructor(options = {}) {
		this.workers = options.workers ?? 2;
		this.concurrency = options.concurrency ?? 10;
		/** @type {Array<{ name: string, child: import('node:child_process').ChildProcess, log: string }>} */
		this.processes = [];
	}

	/** PostgreSQL, Redis and the n8n user folder with the package; n8n itself starts with `start()`. */
	async prepare() {
		this.postgres = await startPostgres();
		this.redis = await startRedis();
		this.cli = new N8nCli({
			env: {
				EXECUTIONS_MODE: 'queue',
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: this.postgres.host,
				DB_POSTGRESDB_PORT: String(this.postgres.port),
				DB_POSTGRESDB_DATABASE: this.postgres.database,
				DB_POSTGRESDB_USER: this.postgres.user,
				DB_POSTGRESDB_PASSWORD: 'unused-trust-auth',
				QUEUE_BULL_REDIS_HOST: this.redis.host,
				QUEUE_BULL_REDIS_PORT: String(this.redis.port),
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				N8N_LOG_FORMAT: 'text',
				N8N_LOG_LEVEL: 'warn',
				// The Code node's task runner must connect within this; a loaded machine needs more than 30 s.
				N8N_RUNNERS_GRANT_TOKEN_TTL: '600',
			},
		});
		this.cli.installPackage();
		return this;
	}

	async importCredentials(credentials) {
		await this.cli.importCredentials(credentials);
	}

	async importWorkflows(workflows) {
		await this.cli.importWorkflows(workflows);
	}

	/** Publishes a workflow (n8n 2.x: its production webhooks then exist; read at start). */
	async publish(id) {
		const result = await this.cli.run(['publish:workflow', `--id=${id}`]);
		if (result.code !== 0)
			throw new Error(`publish:workflow failed: ${result.stdout}\n${result.stderr}`);
	}

	spawn(name, args, env) {
		const log = path.join(this.cli.userFolder, `${name}.log`);
		const fd = fs.openSync(log, 'w');
		const child = spawn(this.cli.node, [this.cli.bin, ...args], {
			env: { ...this.cli.env, ...env },
			cwd: this.cli.userFolder,
			stdio: ['ignore', fd, fd],
		});
		fs.closeSync(fd);
		this.processes.push({ name, child, log });
		return child;
	}

	/** Starts the main process and the workers; resolves when all of them answer. */
	async start() {
		const port = await freePort();
		const main = this.spawn('main', ['start'], {
			N8N_PORT: String(port),
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			QUEUE_HEALTH_CHECK_PORT: String(await freePort()),
			// No editor: n8n then skips rewriting its editor bundle at start (CPU the workers need).
			N8N_DISABLE_UI: 'true',
		});
		this.url = `http://127.0.0.1:${port}`;
		// The main process migrates the database; workers started before that fail.
		await waitFor(
			'n8n main',
			async () => {
				this.assertRunning(main, 'main');
				// /healthz answers before the REST routes exist.
				return await restApiUp(this.url);
			},
			180_000,
		);
		const workers = [];
		for (let i = 1; i <= this.workers; i++) {
			const health = await freePort();
			const child = this.spawn(`worker-${i}`, ['worker', `--concurrency=${this.concurrency}`], {
				// "Worker started execution <id>": which worker ran what.
				N8N_LOG_LEVEL: 'info',
				N8N_PORT: String(await freePort()),
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(health),
			});
			workers.push({ child, name: `worker-${i}`, url: `http://127.0.0.1:${health}/healthz` });
		}
		for (const worker of workers) {
			await waitFor(
				worker.name,
				async () => {
					this.assertRunning(worker.child, worker.name);
					return await fetch(worker.url).then(
						(r) => r.ok,
						() => false,
					);
				},
				180_000,
			);
		}
		return this;
	}

	assertRunning(child, name) {
		if (child.exitCode === null && child.signalCode === null) return;
		const log = this.processes.find((p) => p.child === child)?.log;
		const tail = log && fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-3000) : '';
		throw new Error(`n8n ${name} exited (${child.exitCode ?? child.signalCode}):\n${tail}`);
	}

	/** The pids of the n8n processes, by name (for measuring their load). */
	pids() {
		return Object.fromEntries(this.processes.map((p) => [p.name, p.child.pid]));
	}

	/** Execution IDs each worker logged as started (workers log at info level). */
	executionsByWorker() {
		const byWorker = {};
		for (const { name, log } of this.processes.filter((p) => p.name.startsWith('worker'))) {
			const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
			byWorker[name] = [...text.matchAll(/Worker started execution (\d+)/g)].map((m) =>
				Number(m[1]),
			);
		}
		return byWorker;
	}

	/**
	 * Runs small executions until every worker has run one: the first execution in a worker
	 * starts its Code-node task runner and loads the package, seconds that are not the node's.
	 */
	async warmUp(webhookPath, body) {
		// The main process registers the production webhooks shortly after its API answers.
		await waitFor(
			`webhook ${webhookPath}`,
			async () =>
				await this.webhook(webhookPath, body).then(
					() => true,
					(error) => {
						if (/is not registered/.test(String(error))) return false;
						throw error;
					},
				),
			120_000,
		);
		for (let round = 0; round < 10; round++) {
			if (Object.values(this.executionsByWorker()).every((ids) => ids.length > 0)) return;
			await Promise.all(
				Array.from({ length: 2 * this.workers }, () => this.webhook(webhookPath, body)),
			);
			await new Promise((resolve) => setTimeout(resolve, 5000));
		}
		throw new Error(
			`not every worker ran an execution: ${JSON.stringify(this.executionsByWorker())}`,
		);
	}

	/** Calls a production webhook of a published workflow. */
	async webhook(webhookPath, body) {
		const response = await fetch(`${this.url}/webhook/${webhookPath}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok)
			throw new Error(`webhook ${webhookPath} answered ${response.status}: ${text}`);
		return text;
	}

	/** SQL against n8n's database (rows as text, columns separated by |); blocks this process. */
	sql(query) {
		return this.postgres.psql(query);
	}

	/** The same without blocking: for use while executions run against an in-process sandbox. */
	async sqlAsync(query) {
		return await this.postgres.psqlAsync(query);
	}

	/** Copies the n8n logs to `dir` (to read after a failed run; the user folder is removed). */
	keepLogs(dir) {
		fs.mkdirSync(dir, { recursive: true });
		for (const { name, log } of this.processes)
			if (fs.existsSync(log)) fs.copyFileSync(log, path.join(dir, `${name}.log`));
		return dir;
	}

	/** Stops every process this object started and removes their folders. */
	async stop() {
		await Promise.all(this.processes.map((p) => stopProcess(p.child, 20_000)));
		this.processes = [];
		await this.redis?.stop();
		await this.postgres?.stop();
		this.cli?.cleanup();
	}
}

module.exports = { N8nQueue };
