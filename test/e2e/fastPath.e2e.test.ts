import { TEST_KEYS as testKeys } from '../helpers/keys';
import { SANDBOX_API_KEY, useSandbox } from '../helpers/sandbox';
import { N8nCli, nodeOutput } from './n8n/cli';
import { N8nServer } from './n8n/server';
import * as workflows from './n8n/workflows';

/** The credential of the evaluated side: the same key, its own sandbox. */
const EVALUATED_CREDENTIAL = { id: 'brevoSandboxEval', name: 'Brevo sandbox (evaluated side)' };

/**
 * The drag-and-drop fast path in a real n8n 2.41.1 (its VM expression engine) and in n8n 1.x (the
 * package supports both): in one execution, the same items go to the Brevo Event node as built by
 * drag and drop (`{{ $json.x }}`, read by the fast path) and to a copy whose expressions are in
 * parentheses (`{{ ($json.x) }}`, which n8n evaluates as before), each with its own sandbox:
 * Brevo accepts byte-identical requests and both nodes output byte-identical items.
 */
describe.each(['n8n-2', 'n8n-1'])('fast path on and off in a real %s', (variant) => {
	const sandbox = useSandbox({ logBodies: true });
	const evaluatedSandbox = useSandbox({ logBodies: true });
	let n8n: N8nCli;
	let server: N8nServer;

	type Node = { id: string; name: string; parameters: object };
	type Target = { node: string; type: string; index: number };
	type Workflow = { id: string; nodes: Node[]; connections: Record<string, { main: Target[][] }> };
	/**
	 * A copy of a workflow under another id where the node feeding "Brevo Event" also feeds
	 * "Brevo Event (evaluated)": the same node with no path the fast path recognises.
	 */
	const sideBySide = (flow: Workflow, id: string): Workflow => {
		const built = flow.nodes.find((node) => node.name === 'Brevo Event') as Node;
		const evaluated = {
			...built,
			id: '00000000-0000-4000-8000-999900000001',
			name: 'Brevo Event (evaluated)',
			parameters: workflows.withoutFastPath(built.parameters),
			credentials: { brevoApi: EVALUATED_CREDENTIAL },
		};
		const connections = structuredClone(flow.connections);
		const feeder = Object.values(connections).find((c) =>
			c.main[0].some((target) => target.node === built.name),
		) as { main: Target[][] };
		feeder.main[0].push({ node: evaluated.name, type: 'main', index: 0 });
		return { ...flow, id, nodes: [...flow.nodes, evaluated], connections };
	};

	/** The browser suite's drag-and-drop workflow (journey 3), with items of every kind. */
	const dragAndDrop = workflows.workflow('fastPathDnd', 'Fast path: drag and drop', [
		workflows.trigger(),
		workflows.code(`return [
  { email: 'jane.doe@example.com', title: 'Brevo — The most approachable CRM suite', seconds: '142', age: '32' },
  { email: 'ünï@example.com', seconds: 0, age: 32.5 },
  { email: 'x@example.com', seconds: -0, age: null },
  { email: 'y@example.com', age: '40' },
  { email: 'z@example.com', seconds: 12345678901234567890, age: 'old' },
].map((json) => ({ json }));`),
		workflows.brevoEvent(
			{
				resource: 'event',
				operation: 'create',
				eventName: 'video_played',
				identifiers: { emailId: '={{ $json.email }}' },
				specifyContactProperties: 'keypair',
				contactProperties: {
					property: [{ name: 'AGE', type: 'number', value: '={{ $json.age }}' }],
				},
				specifyEventProperties: 'keypair',
				eventProperties: {
					property: [{ name: 'duration', type: 'number', value: '={{ $json.seconds }}' }],
				},
				additionalFields: {},
				options: {},
			},
			{ continueOnFail: true },
		),
	]);

	beforeAll(async () => {
		n8n = new N8nCli({ variant });
		n8n.installPackage();
		server = await N8nServer.start(n8n, { ownerPassword: testKeys.ownerPassword });
		await server.importCredentials([
			...workflows.credentials(sandbox.baseUrl, SANDBOX_API_KEY, testKeys.wrong),
			{
				...EVALUATED_CREDENTIAL,
				type: 'brevoApi',
				data: { apiKey: SANDBOX_API_KEY, baseUrl: evaluatedSandbox.baseUrl },
			},
		]);
		await server.importWorkflows([
			sideBySide(workflows.mappedOrders(100) as unknown as Workflow, 'fastPathMapped'),
			sideBySide(dragAndDrop as unknown as Workflow, 'fastPathDnd'),
		]);
	}, 15 * 60_000);
	afterAll(async () => {
		await server?.stop();
		n8n?.cleanup();
	});

	/** The request bodies a sandbox accepted (sorted: the pacer may reorder them). */
	const accepted = (from: typeof sandbox) =>
		from
			.requests()
			// Those Brevo accepted: a request retried after a 429 would count twice otherwise.
			.filter((request) => request.route.startsWith('POST /events') && request.status < 300)
			.map((request) => request.body ?? '')
			.sort();

	test.each([
		['the 100-item mapping scenario', 'fastPathMapped', 100],
		["the browser suite's drag-and-drop workflow", 'fastPathDnd', 2],
	])(
		'%s: byte-identical events and output with the fast path on and off',
		async (_, workflowId, sent) => {
			sandbox.server.reset();
			evaluatedSandbox.server.reset();
			const { code, run, stderr } = await server.execute(workflowId);
			expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
			const fast = accepted(sandbox);
			expect(fast).toHaveLength(sent);
			expect(fast).toEqual(accepted(evaluatedSandbox));
			const output = nodeOutput(run, 'Brevo Event');
			expect(output).toHaveLength(workflowId === 'fastPathDnd' ? 5 : 100);
			expect(JSON.stringify(output)).toBe(
				JSON.stringify(nodeOutput(run, 'Brevo Event (evaluated)')),
			);
		},
	);
});
