/**
 * `npm start`: try the node with no Brevo account. Starts the Brevo sandbox on 127.0.0.1:8787 and a
 * real n8n on http://localhost:5678 with this package installed as the community-nodes panel
 * would, a "Brevo sandbox" credential pointing at the sandbox, and two example workflows.
 * Every event the sandbox stores is printed here. Ctrl+C stops both.
 */
'use strict';

const path = require('node:path');
const { spawn } = require('node:child_process');

const { N8nCli } = require('./n8n/cli');
const { ROOT } = require('./n8n/install');
const workflows = require('./n8n/workflows');
const { BrevoSandbox } = require('./sandbox/brevo-sandbox');

const SANDBOX_PORT = Number(process.env.BREVO_SANDBOX_PORT ?? 8787);
const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
const API_KEY = 'xkeysib-local-sandbox';

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
			N8N_LOG_FORMAT: 'text',
			N8N_LOG_LEVEL: 'warn',
			N8N_PORT: String(N8N_PORT),
			N8N_RUNNERS_BROKER_PORT: String(N8N_PORT + 1),
		},
	});
	require('node:fs').mkdirSync(n8n.userFolder, { recursive: true });
	n8n.installPackage();
	await n8n.importCredentials([
		...workflows.credentials(`${sandbox.url}/v3`, API_KEY, 'xkeysib-not-a-valid-key').slice(0, 1),
		// The sandbox's default OAuth2 app and restricted keys (see its start-up message).
		...workflows.authCredentials(sandbox.url, {
			clientId: 'sandbox-client',
			clientSecret: 'sandbox-secret',
			eventsOnlyKey: `${API_KEY}-events-only`,
			expiredKey: `${API_KEY}-expired`,
		}),
	]);
	await n8n.importWorkflows([
		workflows.seedExample(),
		workflows.seedExampleOAuth2(),
		workflows.mappedOrders(10),
	]);

	const child = spawn(n8n.node, [n8n.bin, 'start'], {
		env: n8n.env,
		cwd: n8n.userFolder,
		stdio: 'inherit',
	});
	console.log(`
Brevo sandbox: ${sandbox.url}/v3 (stored events: ${sandbox.url}/__sandbox/events)
n8n:           http://localhost:${N8N_PORT}   (first visit: create the local owner account)

Open the workflow "Brevo Event: seed example (video_played)" and click "Execute workflow".
The event the sandbox receives is printed here.
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
