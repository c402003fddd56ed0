import { withoutFastPath } from '../helpers/item-paths';
import { TEST_KEYS as testKeys } from '../helpers/keys';
import { SANDBOX_API_KEY, useSandbox } from '../helpers/sandbox';
import { N8nCli, nodeOutput } from './n8n/cli';
import * as workflows from './n8n/workflows';

/**
 * The drag-and-drop fast path in a real n8n 2.41.1 (its VM expression engine) and in n8n 1.x (the
 * package supports both): each workflow run as built by drag and drop (`{{ $json.x }}`, read by
 * the fast path) and with the same expressions in parentheses (`{{ ($json.x) }}`, which n8n
 * evaluates as before): Brevo accepts byte-identical requests and the node outputs byte-identical
 * items.
 */
describe.each(['n8n-2', 'n8n-1'])('fast path on and off in a real %s', (variant) => {
	const sandbox = useSandbox({ logBodies: true });
	let n8n: N8nCli;

	type Workflow = ReturnType<typeof workflows.mappedOrders>;
	/** A copy of a workflow under another id whose Brevo Event node has no recognised path. */
	const off = (flow: Workflow, id: string): Workflow => ({
		...flow,
		id,
		nodes: (flow.nodes as Array<{ name: string; parameters: object }>).map((node) =>
			node.name === 'Brevo Event'
				? { ...node, parameters: withoutFastPath(node.parameters) }
				: node,
		),
	});

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
		await n8n.importCredentials(
			workflows.credentials(sandbox.baseUrl, SANDBOX_API_KEY, testKeys.wrong),
		);
		const mapped = workflows.mappedOrders(100);
		await n8n.importWorkflows([
			mapped,
			off(mapped, 'fastPathMappedOff'),
			dragAndDrop,
			off(dragAndDrop, 'fastPathDndOff'),
		]);
	}, 15 * 60_000);
	afterAll(() => n8n?.cleanup());

	/** Runs one workflow: the request bodies Brevo accepted (sorted: the pacer may reorder them) and the node's output. */
	async function run(id: string) {
		sandbox.server.reset();
		const { code, run, stderr } = await n8n.execute(id);
		expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
		const bodies = sandbox
			.requests()
			// Those Brevo accepted: a request retried after a 429 would count twice otherwise.
			.filter((request) => request.route.startsWith('POST /events') && request.status < 300)
			.map((request) => request.body ?? '')
			.sort();
		return { bodies, output: JSON.stringify(nodeOutput(run, 'Brevo Event')) };
	}

	test.each([
		['the 100-item mapping scenario', 'brevoMapped100', 'fastPathMappedOff', 100],
		["the browser suite's drag-and-drop workflow", 'fastPathDnd', 'fastPathDndOff', 2],
	])(
		'%s: byte-identical events and output with the fast path on and off',
		async (_, on, offId, sent) => {
			const fast = await run(on);
			const evaluated = await run(offId);
			expect(fast.bodies).toHaveLength(sent);
			expect(fast.bodies).toEqual(evaluated.bodies);
			expect(fast.output).toBe(evaluated.output);
		},
	);
});
