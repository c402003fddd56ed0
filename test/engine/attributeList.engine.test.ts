import { answerJson, useHostileServer } from '../helpers/hostile-server';
import { runBrevoEventNode } from '../helpers/n8n-engine';

/**
 * "Type of the Brevo Attribute" reads GET /contacts/attributes; its answer is believed only as far
 * as its shape goes. Found by a hostile-server probe: a category option without `label`, or an
 * `attributes` that is not a list, ended in a bare TypeError naming neither item nor field.
 */
describe('odd GET /contacts/attributes answers, in n8n-core', () => {
	jest.setTimeout(30_000);
	const server = useHostileServer();
	const attributesAnswer = (body: unknown) =>
		server.answerWith((req, res) => {
			if (req.url.includes('/contacts/attributes')) return answerJson(res, 200, body);
			res.writeHead(204).end();
		});
	const run = (value: string, continueOnFail = true) =>
		runBrevoEventNode({
			parameters: {
				resource: 'event',
				operation: 'create',
				eventName: 'profile_updated',
				identifiers: { extId: 'u-1' },
				specifyContactProperties: 'keypair',
				contactProperties: { property: [{ name: 'LANGUAGE', type: 'attribute', value }] },
			},
			items: [{ json: {} }],
			credentials: server.credentials,
			continueOnFail,
		});
	const sent = () =>
		server.received.filter((r) => r.url.includes('/events')).map((r) => JSON.parse(r.body));
	const language = (enumeration: unknown[]) => ({
		attributes: [{ name: 'LANGUAGE', category: 'normal', type: 'category', enumeration }],
	});

	test('an option without label: a value is still sent as Brevo stores it', async () => {
		attributesAnswer(
			language([
				{ value: 1, valueStr: 'en' },
				{ value: 0, valueStr: 'fr' },
			]),
		);
		const { output, error } = await run('fr');
		expect(error).toBeUndefined();
		expect(output?.[0].json.success).toBe(true);
		expect(sent().map((event) => event.contact_properties)).toEqual([{ LANGUAGE: 'fr' }]);
	});

	test('an option without label, Stop Workflow: an unknown value names the item, the field and the options', async () => {
		attributesAnswer(language([{ value: 1, valueStr: 'en' }, null, { label: 'no value' }]));
		const { error } = await run('de', false);
		expect(error?.message).toBe(
			'Invalid Contact Properties › LANGUAGE in item 0: "de" is not one of the options of category attribute LANGUAGE',
		);
		// The option without label shows its value; the entries that are no option are left out.
		expect(error?.description).toMatch(/Use a label or a value: en\.?$/);
		expect(sent()).toEqual([]);
	});

	test('"attributes" is not a list: every item fails saying the answer is not Brevo’s', async () => {
		attributesAnswer({ attributes: { LANGUAGE: { type: 'text' } } });
		const { output } = await run('en');
		expect(output?.[0].json.error).toBe(
			'The answer to GET /contacts/attributes has no list of attributes ("attributes" is object)',
		);
		expect(output?.[0].pairedItem).toEqual({ item: 0 });
		expect(sent()).toEqual([]);
	});
});
