/**
 * `npm start`: try the node with no Brevo account. Starts the Brevo sandbox on 127.0.0.1:8787 and a
 * real n8n on http://localhost:5678 with this package installed as the community-nodes panel
 * would, "Brevo sandbox" credentials pointing at the sandbox, and example workflows.
 * n8n prints errors only, one line each, so that every event the sandbox stores stands out here.
 * Ctrl+C stops both.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');

const { N8nCli } = require('../e2e/n8n/cli');
const { ROOT } = require('../e2e/n8n/install');
const workflows = require('../e2e/n8n/workflows');
const { BrevoSandbox } = require('./brevo-sandbox');

const SANDBOX_PORT = Number(process.env.BREVO_SANDBOX_PORT ?? 8787);
const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
const API_KEY = 'xkeysib-local-sandbox';

/**
 * The credentials, dated so that a new Brevo Event node gets the working sandbox key: n8n 2.41's
 * editor gives a node it adds the credential updated most recently (useCanvasOperations), and
 * import:credentials keeps the dates it is given. The demos that fail on purpose are the oldest and
 * say so in their names; any credential you create later is newer, and becomes the default.
 */
function dated(credentials) {
	const names = {
		[workflows.EXPIRED_KEY_CREDENTIAL.id]: 'Demo: expired key (fails with 401)',
		[workflows.EVENTS_ONLY_CREDENTIAL.id]: 'Demo: key restricted to events (no attribute list)',
	};
	const order = [
		workflows.EXPIRED_KEY_CREDENTIAL.id,
		workflows.EVENTS_ONLY_CREDENTIAL.id,
		workflows.OAUTH2_CREDENTIAL.id,
		workflows.SANDBOX_CREDENTIAL.id,
	];
	return credentials.map((credential) => {
		const at = new Date(Date.UTC(2026, 0, 1, 0, 0, order.indexOf(credential.id) + 1)).toISOString();
		return {
			...credential,
			name: names[credential.id] ?? credential.name,
			createdAt: at,
			updatedAt: at,
		};
	});
}

/**
 * n8n's log records (JSON, one a line) as one line each: level and the message's first line, no
 * stack trace. Other lines pass, minus stack frames. A node's failure reaches n8n's error reporter
 * as the bare class name (measured: "NodeApiError"); its message is in the editor.
 */
function printN8nLine(line) {
	let record;
	try {
		record = JSON.parse(line);
	} catch {
		record = undefined;
	}
	if (typeof record?.message === 'string') {
		const first = record.message.split('\n')[0];
		const where = /^\w+Error$/.test(first) ? ': a node failed, its message is in the editor' : '';
		console.log(`[n8n ${record.level ?? 'log'}] ${first}${where}`);
	} else if (!/^\s+at /.test(line) && line.trim() !== '') console.log(line);
}

/** Resolves once n8n serves its editor (well after its REST API, on a busy machine). */
async function editorReady(url, child) {
	for (;;) {
		if (child.exitCode !== null) throw new Error(`n8n exited with ${child.exitCode}`);
		const served = await fetch(`${url}/signin`).then(
			async (r) => r.ok && (await r.text()).includes('id="app"'),
			() => false,
		);
		if (served) return;
		await new Promise((r) => setTimeout(r, 500));
	}
}

async function main() {
	const sandbox = await new BrevoSandbox({
		port: SANDBOX_PORT,
		apiKey: API_KEY,
		onStore: ({ event, contactId }) =>
			console.log(
				`\n[brevo sandbox] stored "${event.event_name}" for contact ${contactId}:\n${JSON.stringify(event, null, 2)}\n`,
			),
	}).start();

	// A user folder that survives restarts, so the owner account and your edits stay.
	const n8n = new N8nCli({
		userFolder: path.join(ROOT, '.n8n-local'),
		env: {
			N8N_LOG_FORMAT: 'json',
			// Errors only: n8n's notices at every start (task runners, deprecations) would bury the
			// events printed here. (Diagnostics, version notifications, templates and banners are
			// already off: see test/e2e/n8n/cli.js.)
			N8N_LOG_LEVEL: 'error',
			// n8n fetches its list of verified community nodes and its MCP server catalogue from
			// api.n8n.io; offline, each attempt prints a stack trace. Neither is needed here, nor its
			// AI assistant (a cloud service), whose page n8n would open after the owner setup in
			// place of the workflow list that holds the examples.
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_DISABLED_MODULES: 'mcp-registry,instance-ai',
			N8N_PORT: String(N8N_PORT),
			N8N_RUNNERS_BROKER_PORT: String(N8N_PORT + 1),
		},
	});
	fs.mkdirSync(n8n.userFolder, { recursive: true });
	n8n.installPackage();
	await n8n.importCredentials(
		dated([
			...workflows.credentials(`${sandbox.url}/v3`, API_KEY, 'xkeysib-not-a-valid-key').slice(0, 1),
			// The sandbox's default OAuth2 app and restricted keys (see its start-up message).
			...workflows.authCredentials(sandbox.url, {
				clientId: 'sandbox-client',
				clientSecret: 'sandbox-secret',
				eventsOnlyKey: `${API_KEY}-events-only`,
				expiredKey: `${API_KEY}-expired`,
			}),
		]),
	);
	const examples = [
		workflows.seedExample(),
		workflows.seedExampleOAuth2(),
		// Its own id: the end-to-end tests' brevoMapped100 holds 100 orders.
		{ ...workflows.mappedOrders(10), id: 'brevoMapped10' },
	];
	await n8n.importWorkflows(examples);

	console.log('Starting n8n…');
	const child = spawn(n8n.node, [n8n.bin, 'start'], {
		env: n8n.env,
		cwd: n8n.userFolder,
		stdio: ['inherit', 'pipe', 'pipe'],
	});
	for (const output of [child.stdout, child.stderr])
		readline.createInterface({ input: output }).on('line', printN8nLine);
	const editor = `http://localhost:${N8N_PORT}`;
	await editorReady(editor, child);
	console.log(`
Brevo sandbox  ${sandbox.url}/v3
               stored so far: ${sandbox.url}/__sandbox/events (kept in memory: a restart forgets them)
n8n            ${editor}

1. First visit: create the local owner account (it stays on this machine, in .n8n-local/).
2. n8n then lists the examples (Overview → Workflows); or open one directly:
${examples.map((w) => `     ${`${editor}/workflow/${w.id}`.padEnd(editor.length + 27)} ${w.name}`).join('\n')}
3. Click "Execute workflow": each event the sandbox stores is printed here.
   A Brevo Event node you add uses "${workflows.SANDBOX_CREDENTIAL.name}"; the "Demo: …"
   credentials fail on purpose (an expired key; a key that may not read contact attributes).
`);
	const stop = () => {
		child.kill('SIGTERM');
		void sandbox.stop();
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	child.on('exit', (code) => {
		void sandbox.stop();
		process.exitCode = code ?? 0;
	});
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
