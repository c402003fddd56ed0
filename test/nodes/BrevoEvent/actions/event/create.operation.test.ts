import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
} from 'n8n-workflow';

import { BrevoEvent } from '../../../../../nodes/BrevoEvent/BrevoEvent.node';
import seedEvent from '../../../../fixtures/seed-event.json';
import seedParameters from '../../../../fixtures/seed-parameters.json';
import {
	executeContext,
	TEST_API_KEY,
	type ContextOptions,
} from '../../../../helpers/execute-context';

const node = new BrevoEvent();

async function run(options: ContextOptions) {
	const context = executeContext(options);
	const [output] = await node.execute.call(context.ctx);
	return { ...context, output };
}

async function runExpectingError(options: ContextOptions) {
	const context = executeContext(options);
	let caught: unknown;
	try {
		await node.execute.call(context.ctx);
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(Error);
	return { ...context, error: caught as NodeApiError & NodeOperationError };
}

const items = (n: number): INodeExecutionData[] =>
	Array.from({ length: n }, (_, i) => ({ json: { i } }));

/** Per-item parameters: item `bad` gets an event name Brevo rejects. */
const withBadItem = (bad: number) => (i: number) => ({
	...seedParameters,
	specifyContactProperties: 'none',
	specifyEventProperties: 'none',
	eventName: i === bad ? 'order created' : `order_${i}`,
});

const brevoAnswer = (statusCode: number, body: unknown) => () => ({
	statusCode,
	headers: {},
	body,
});

describe('BrevoEvent execute(), Create', () => {
	test('sends the seed example as one POST /events with the credential, and outputs what was sent', async () => {
		const { output, requests } = await run({ parameters: seedParameters });

		expect(requests).toHaveLength(1);
		const [{ credentialType, options }] = requests;
		expect(credentialType).toBe('brevoApi');
		expect(options).toMatchObject({
			method: 'POST',
			url: 'https://api.brevo.com/v3/events',
			json: true,
			returnFullResponse: true,
			headers: { 'content-type': 'application/json', accept: 'application/json' },
		});
		expect(JSON.stringify(options.body)).toBe(JSON.stringify(seedEvent));
		expect(output).toEqual([
			{
				json: { success: true, status: 'stored', statusCode: 204, event: seedEvent },
				pairedItem: { item: 0 },
			},
		]);
	});

	test('uses the base URL of the credential, without a trailing slash', async () => {
		const { requests } = await run({
			parameters: seedParameters,
			credentials: { apiKey: TEST_API_KEY, baseUrl: 'http://127.0.0.1:9/v3/' },
		});
		expect(requests[0].options.url).toBe('http://127.0.0.1:9/v3/events');
	});

	test('one output item per input item, in order, each paired with its input', async () => {
		const { output, requests } = await run({ parameters: withBadItem(-1), items: items(25) });
		expect(requests).toHaveLength(25);
		expect(output.map((item) => item.pairedItem)).toEqual(items(25).map((_, i) => ({ item: i })));
		expect(output.map((item) => (item.json.event as { event_name: string }).event_name)).toEqual(
			items(25).map((_, i) => `order_${i}`),
		);
	});

	test('reads item-independent parameters once per execution, not once per item', async () => {
		const { parameterReads } = await run({ parameters: withBadItem(-1), items: items(10) });
		const count = (name: string) => parameterReads.filter((read) => read.name === name).length;
		expect(count('options')).toBe(1);
		expect(count('specifyContactProperties')).toBe(1);
		expect(count('specifyEventProperties')).toBe(1);
		// The event name differs per item (an expression); the identifiers hold none: read once.
		expect(count('eventName')).toBe(10);
		expect(count('identifiers')).toBe(1);
	});

	test('with Continue On Fail, an invalid item becomes a paired error item naming item and field, and is not sent', async () => {
		const { output, requests } = await run({
			parameters: withBadItem(1),
			items: items(3),
			continueOnFail: true,
		});

		expect(requests.map((r) => (r.options.body as { event_name: string }).event_name)).toEqual([
			'order_0',
			'order_2',
		]);
		expect(output).toHaveLength(3);
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(output[1].json.error).toBe(
			'Invalid Event Name in item 1: Event Name "order created" contains a character Brevo does not accept: a space',
		);
		expect((output[1].json.details as IDataObject).description).toBe(
			'Use only letters A–Z and a–z, digits, "-" and "_"',
		);
		expect(output[0].json.success).toBe(true);
		expect(output[2].json.success).toBe(true);
	});

	test('without Continue On Fail, an invalid item fails the node with a NodeOperationError carrying its index', async () => {
		const { error, requests } = await runExpectingError({
			parameters: withBadItem(2),
			items: items(4),
		});

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(
			'Invalid Event Name in item 2: Event Name "order created" contains a character Brevo does not accept: a space',
		);
		expect(error.context.itemIndex).toBe(2);
		// Every item is validated before the first request: fixing item 2 and running again sends
		// each event once.
		expect(requests).toHaveLength(0);
	});

	test('without Continue On Fail, the error says what was sent before the node stopped', async () => {
		const { error, requests } = await runExpectingError({
			parameters: withBadItem(-1),
			items: items(6),
			respond: (request) =>
				(request.body as { event_name: string }).event_name === 'order_3'
					? { statusCode: 400, body: { code: 'invalid_parameter', message: 'contact is blocked' } }
					: { statusCode: 204 },
		});
		// 10 requests per second: items 4 and 5 are still waiting for their turn when item 3 fails,
		// and are not sent (Stop Workflow).
		expect(requests).toHaveLength(4);
		expect(error.message).toBe('Brevo answered 400 invalid_parameter: contact is blocked [item 3]');
		expect(error.description).toMatch(
			/\n\nBefore the node stopped: 6 items: 3 stored by Brevo, 1 refused, 2 not sent \(the node stopped at an error\)\. Refused: 1 × Brevo answered 400 invalid_parameter: contact is blocked \(first: item 3\)\. Brevo stored items 0–2: do not send them again\.$/,
		);
	});

	test('Outcome Only: output items carry the identifiers instead of the event; a summary hint is added', async () => {
		const { output, hints } = await run({
			parameters: { ...seedParameters, options: { output: 'outcome' } },
			items: items(2),
		});
		expect(output.map((item) => item.json)).toEqual([
			{ success: true, status: 'stored', statusCode: 204, identifiers: seedEvent.identifiers },
			{ success: true, status: 'stored', statusCode: 204, identifiers: seedEvent.identifiers },
		]);
		expect(hints).toEqual([
			{ message: 'Brevo Event: 2 items: 2 stored by Brevo.', type: 'info', location: 'outputPane' },
		]);
	});

	test('a Brevo 400 becomes a NodeApiError with Brevo code, message and HTTP status', async () => {
		const { error } = await runExpectingError({
			parameters: seedParameters,
			respond: brevoAnswer(400, { code: 'invalid_parameter', message: 'event_name is invalid' }),
		});
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'Brevo answered 400 invalid_parameter: event_name is invalid [item 0]',
		);
		expect(error.httpCode).toBe('400');
		expect(error.context.itemIndex).toBe(0);
	});

	test('with Continue On Fail, a Brevo error becomes an error item showing status and the event', async () => {
		const { output } = await run({
			parameters: withBadItem(-1),
			items: items(2),
			continueOnFail: true,
			respond: (_options, call) =>
				call === 0
					? { statusCode: 204 }
					: { statusCode: 400, body: { code: 'out_of_range', message: 'too big' } },
		});
		expect(output[0].json.success).toBe(true);
		expect(output[1]).toEqual({
			json: {
				error: 'Brevo answered 400 out_of_range: too big [item 1]',
				details: {
					itemIndex: 1,
					httpCode: '400',
					description: 'Brevo rejected the request as invalid, so nothing was stored.',
					stored: 'no',
					event: {
						event_name: 'order_1',
						identifiers: { email_id: 'jane.doe@example.com', ext_id: 'ext_09887' },
					},
				},
			},
			pairedItem: { item: 1 },
		});
	});

	test('a 401 says to check the key, and the key appears nowhere in the error', async () => {
		const { error } = await runExpectingError({
			parameters: seedParameters,
			respond: brevoAnswer(401, { code: 'unauthorized', message: 'Key not found' }),
		});
		expect(error.message).toBe('Brevo answered 401 unauthorized: Key not found [item 0]');
		expect(error.description).toMatch(/wrong, expired or revoked/);
		expect(error.description).toMatch(/v3 API key \(xkeysib-…\)/);
		expect(JSON.stringify(error)).not.toContain(TEST_API_KEY);
		expect(`${error.message} ${error.description} ${error.stack}`).not.toContain(TEST_API_KEY);
	});

	test('a dropped connection is reported without the request (and its key)', async () => {
		const dropped = Object.assign(new Error('socket hang up'), {
			code: 'ECONNRESET',
			config: { headers: { 'api-key': TEST_API_KEY } },
		});
		const { error, requests } = await runExpectingError({
			parameters: { ...seedParameters, options: { retryServerErrors: false } },
			respond: () => {
				throw dropped;
			},
		});
		expect(requests).toHaveLength(1);
		expect(error).toBeInstanceOf(NodeApiError);
		// n8n's own wording for ECONNRESET, with ours as the description.
		expect(error.message).toMatch(/^The connection to the server was closed unexpectedly/);
		expect(error.description).toBe(
			'The connection failed after the request went out and before Brevo answered. It may or may not have been stored.',
		);
		expect(error.context.stored).toBe('unknown');
		expect(JSON.stringify(error)).not.toContain(TEST_API_KEY);
	});

	test('an unknown operation is refused clearly', async () => {
		const { error } = await runExpectingError({
			parameters: { resource: 'event', operation: 'delete' },
		});
		expect(error.message).toBe('The operation "delete" of resource "event" is not supported');
	});
});
