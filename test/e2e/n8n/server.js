/**
 * One running `n8n start` for a test file: its owner signed in, its REST API (the editor's), and
 * workflows run the way the editor's "Execute workflow" runs them. One process for all of a file's
 * runs instead of an `n8n execute` per run: each CLI boot costs about 5 s of CPU (module loading,
 * the task runner, the database), and the end-to-end files are CPU-bound on 2 cores.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** The owner a throwaway n8n is set up with (its password comes from test/helpers/keys.ts). */
const OWNER = { email: 'owner@example.com', firstName: 'Local', lastName: 'Owner' };

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

class N8nServer {
	/**
	 * Starts `n8n start` in the CLI's user folder (the package installed, anything imported with the
	 * CLI before) and sets up its owner.
	 * @param {import('./cli').N8nCli} cli
	 * @param {{ ownerPassword: string, editor?: boolean }} options
	 */
	static async start(cli, { ownerPassword, editor = false }) {
		const server = new N8nServer(cli, await cli.startServer({ editor }));
		const owner = await server.rest('POST', '/owner/setup', { ...OWNER, password: ownerPassword });
		if (owner.status !== 200)
			throw new Error(`owner setup answered ${owner.status}: ${JSON.stringify(owner.body)}`);
		return server;
	}

	constructor(cli, { url, stop, pid }) {
		this.cli = cli;
		this.url = url;
		this.pid = pid;
		this.stop = stop;
		this.cookie = '';
		this.ids = new Map();
		this.log = path.join(cli.userFolder, 'server.log');
	}

	/**
	 * Creates credentials through the REST API as the editor does (instead of an `n8n
	 * import:credentials` boot before start). n8n gives them ids of its own: `id()` maps.
	 * @param {Array<{ id: string, name: string, type: string, data: object }>} credentials
	 */
	async importCredentials(credentials) {
		for (const { id, name, type, data } of credentials) {
			const created = await this.rest('POST', '/credentials', { name, type, data });
			if (created.status !== 200)
				throw new Error(
					`creating credential ${id} answered ${created.status}: ${JSON.stringify(created.body)}`,
				);
			this.ids.set(id, created.body.data.id);
		}
	}

	/**
	 * Creates workflows through the REST API as the editor does, their credentials pointed at the
	 * ids n8n gave (n8n 2.x keeps a workflow's id, 1.x gives one of its own: `id()` maps).
	 * @param {Array<{ id: string, nodes: Array<Record<string, any>> }>} workflows
	 */
	async importWorkflows(workflows) {
		for (const workflow of workflows) {
			const nodes = workflow.nodes.map((node) =>
				node.credentials
					? {
							...node,
							credentials: Object.fromEntries(
								Object.entries(node.credentials).map(([type, c]) => [
									type,
									{ ...c, id: this.id(c.id) },
								]),
							),
						}
					: node,
			);
			const created = await this.rest('POST', '/workflows', { ...workflow, nodes });
			if (created.status !== 200)
				throw new Error(
					`creating workflow ${workflow.id} answered ${created.status}: ${JSON.stringify(created.body)}`,
				);
			this.ids.set(workflow.id, created.body.data.id);
		}
	}

	/** The id n8n gave a credential or workflow created here under the id the tests use. */
	id(id) {
		return this.ids.get(id) ?? id;
	}

	/** A call to the editor's REST API, signed in as the owner. */
	async rest(method, route, body) {
		const response = await fetch(`${this.url}/rest${route}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': 'e2e-browser',
				cookie: this.cookie,
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.get('set-cookie');
		if (setCookie) this.cookie = setCookie.split(';')[0];
		const text = await response.text();
		let parsed;
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = { text };
		}
		return { status: response.status, body: parsed };
	}

	/**
	 * Runs a workflow from its first node as the editor does and waits for it to finish. Answers as
	 * `N8nCli.execute` does: `code` 1 when the run failed (`n8n execute`'s exit code), `run` (IRun:
	 * data.resultData.runData…), and as `stdout` what n8n logged meanwhile (its JSON log).
	 * @param {string} id
	 * @param {{ timeoutMs?: number }} [options]
	 */
	async execute(id, { timeoutMs = 300_000 } = {}) {
		const started = Date.now();
		const logFrom = fs.statSync(this.log).size;
		const { body: saved } = await this.rest('GET', `/workflows/${this.id(id)}`);
		const workflowData = saved.data;
		if (!workflowData) throw new Error(`no workflow ${id}: ${JSON.stringify(saved)}`);
		const asked = await this.rest('POST', `/workflows/${this.id(id)}/run`, {
			workflowData,
			triggerToStartFrom: { name: workflowData.nodes[0].name },
		});
		const executionId = asked.body.data?.executionId;
		if (asked.status !== 200 || !executionId)
			throw new Error(`running ${id} answered ${asked.status}: ${JSON.stringify(asked.body)}`);

		// n8n 1.x on SQLite without a pool (its default) writes a finished execution's status, then
		// its data, in two updates (updateExistingExecution): a read between them saw `success` with
		// the data of the run's start (no node output). Done is a finished status and data past the
		// start (a node ran, or the run failed).
		let execution;
		let data;
		for (let wait = 50; Date.now() - started < timeoutMs; wait = Math.min(wait * 2, 500)) {
			const { status, body } = await this.rest('GET', `/executions/${executionId}`);
			if (status === 200 && FINISHED.has(body.data?.status) && body.data?.stoppedAt) {
				const read =
					typeof body.data.data === 'string'
						? this.cli.n8nModule('flatted').parse(body.data.data)
						: body.data.data;
				if (read?.resultData?.lastNodeExecuted || read?.resultData?.error) {
					execution = body.data;
					data = read;
					break;
				}
			}
			await new Promise((resolve) => setTimeout(resolve, wait));
		}
		if (!execution)
			throw new Error(
				`execution ${executionId} of ${id} did not finish within ${timeoutMs / 1000} s`,
			);
		const run = { ...execution, data };
		const stdout = this.logSince(logFrom);
		const error = data?.resultData?.error;
		return {
			code: error ? 1 : 0,
			signal: null,
			run,
			stdout,
			// `n8n execute` prints the error that failed the run on stderr.
			stderr: error ? JSON.stringify(error) : '',
			ms: Date.now() - started,
		};
	}

	/** Everything n8n logged since it started. */
	wholeLog() {
		return fs.readFileSync(this.log, 'utf8');
	}

	/** What n8n logged since byte `from` of its log. */
	logSince(from) {
		const fd = fs.openSync(this.log, 'r');
		try {
			const size = fs.fstatSync(fd).size;
			const buffer = Buffer.alloc(Math.max(0, size - from));
			fs.readSync(fd, buffer, 0, buffer.length, from);
			return buffer.toString('utf8');
		} finally {
			fs.closeSync(fd);
		}
	}
}

module.exports = { N8nServer };
