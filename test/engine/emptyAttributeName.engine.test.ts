import seedParameters from '../fixtures/seed-parameters.json';
import { TEST_KEYS as testKeys } from '../helpers/keys';
import { runBrevoEventNode } from '../helpers/n8n-engine';
import { SANDBOX_API_KEY, useSandbox } from '../helpers/sandbox';

/**
 * n8n 2.41's editor empties a contact row's Name picked from the attribute list when the node's
 * credential changes and the new credential's list does not hold it — a list that could not be
 * read (an expired key: "Error fetching options") holds nothing. Switching to the expired key and
 * back leaves the row as below: value kept, Name ''. The run must not hide a refused credential
 * behind "Name is empty", and when the Name is really the problem, it must say why it is gone.
 */
describe('a contact row the editor emptied, in n8n-core', () => {
	const sandbox = useSandbox();
	const [firstRow, ...otherRows] = seedParameters.contactProperties.property;
	const emptied = {
		...seedParameters,
		contactProperties: { property: [{ ...firstRow, name: '' }, ...otherRows] },
	};
	const items = [{ json: {} }, { json: {} }];
	const routes = () => sandbox.requests().map((r) => `${r.route} ${r.status}`);
	const run = (apiKey: string, continueOnFail = false) =>
		runBrevoEventNode({
			parameters: emptied,
			items,
			credentials: { apiKey, baseUrl: sandbox.baseUrl },
			continueOnFail,
		});

	test('with the expired key: the run fails with Brevo’s 401, not with "Name is empty"', async () => {
		const { error } = await run(testKeys.expired);
		expect(error?.message).toBe('Brevo answered 401 unauthorized: API key expired');
		expect(error?.description).toContain('wrong, expired or revoked');
		expect(JSON.stringify(error)).not.toContain(testKeys.expired);
		expect(routes()).toEqual(['GET /contacts/attributes 401']);
		expect(sandbox.stored()).toHaveLength(0);
	});

	test('with the expired key under Continue On Fail: each item is an error item with the 401', async () => {
		const { output, error } = await run(testKeys.expired, true);
		expect(error).toBeUndefined();
		expect(output).toHaveLength(2);
		output!.forEach((item, index) => {
			expect(item.json.error).toBe('Brevo answered 401 unauthorized: API key expired');
			expect(item.pairedItem).toEqual({ item: index });
		});
		expect(routes()).toEqual(['GET /contacts/attributes 401']);
	});

	test('with the working key: "Name is empty", naming the row and the item, and why it is empty', async () => {
		const { error } = await run(SANDBOX_API_KEY);
		expect(error?.message).toBe('Invalid Contact Properties › row 1 in item 0: Name is empty');
		expect(error?.description).toContain(
			"n8n's editor empties an attribute picked from the list when the node's credential changes",
		);
		expect(error?.description).toContain('Pick the attribute again');
		// One read of the list, once per run (not per item); nothing sent.
		expect(routes()).toEqual(['GET /contacts/attributes 200']);
	});

	test('with a key that may not read attributes: "Name is empty", and how to type the name instead', async () => {
		const { output } = await run(testKeys.eventsOnly, true);
		expect(output?.map((item) => item.json.error)).toEqual([
			'Invalid Contact Properties › row 1 in item 0: Name is empty',
			'Invalid Contact Properties › row 1 in item 1: Name is empty',
		]);
		expect((output![0].json.details as { description: string }).description).toContain(
			'This credential may not read the contact attribute list',
		);
		expect(routes()).toEqual(['GET /contacts/attributes 403']);
		expect(sandbox.stored()).toHaveLength(0);
	});

	test('rows with their Names ask nothing more: only the event is sent', async () => {
		const { error } = await runBrevoEventNode({
			parameters: seedParameters,
			items: [{ json: {} }],
			credentials: { apiKey: testKeys.expired, baseUrl: sandbox.baseUrl },
		});
		expect(error?.message).toBe('Brevo answered 401 unauthorized: API key expired [item 0]');
		expect(routes()).toEqual(['POST /events 401']);
	});

	test('an event row without Name is not explained as the editor emptying a contact attribute', async () => {
		// A contact row the editor emptied whose value is empty for this item (so it is skipped), and
		// an event row that really lacks its Name: only contact rows get the editor's explanation.
		const { error } = await runBrevoEventNode({
			parameters: {
				...seedParameters,
				contactProperties: { property: [{ ...firstRow, name: '', value: '={{ "" }}' }] },
				eventProperties: { property: [{ name: '', type: 'string', value: 'x' }] },
			},
			items: [{ json: {} }],
			credentials: { apiKey: SANDBOX_API_KEY, baseUrl: sandbox.baseUrl },
		});
		expect(error?.message).toBe('Invalid Event Properties › row 1 in item 0: Name is empty');
		expect(error?.description ?? '').not.toContain("n8n's editor empties");
		expect(sandbox.stored()).toHaveLength(0);
	});
});
