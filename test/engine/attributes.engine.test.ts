import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { BrevoEvent } from '../../nodes/BrevoEvent/BrevoEvent.node';
import { fetchContext } from '../helpers/fetch-context';
import { runBrevoEventNode } from '../helpers/n8n-engine';
import { useSandbox } from '../helpers/sandbox';

/** The contact attribute picker and "Type of the Brevo Attribute" against the sandbox's attributes. */
describe('contact attributes from the Brevo account', () => {
	const sandbox = useSandbox();

	const attributeRequests = () =>
		sandbox.requests().filter((r) => r.route === 'GET /contacts/attributes');

	test('the picker (loadOptions) lists the account attributes with their types', async () => {
		const ctx = fetchContext(sandbox.credentials) as unknown as ILoadOptionsFunctions;
		const options = await new BrevoEvent().methods.loadOptions.getContactAttributes.call(ctx);
		expect(options.map((o) => o.value)).toEqual([
			'AGE',
			'BIRTHDAY',
			'CUSTOMER_ID',
			'FIRSTNAME',
			'GENDER',
			'INTERESTS',
			'LANGUAGE',
			'LASTNAME',
			'VIP',
		]);
		expect(options.find((o) => o.value === 'VIP')?.name).toBe('VIP (boolean)');
		expect(attributeRequests()).toHaveLength(1);
	});

	const parameters = {
		resource: 'event',
		operation: 'create',
		eventName: 'profile_updated',
		identifiers: { emailId: '={{ $json.email }}' },
		specifyContactProperties: 'keypair',
		contactProperties: {
			property: ['AGE', 'VIP', 'BIRTHDAY', 'GENDER', 'INTERESTS', 'FIRSTNAME'].map((name) => ({
				name,
				type: 'attribute',
				value: `={{ $json.${name.toLowerCase()} }}`,
			})),
		},
	};

	test("each value is sent in its attribute's type; the attributes are read once per execution", async () => {
		const item = (n: number, age: string = String(30 + n)) => ({
			json: {
				email: `c${n}@example.com`,
				age,
				vip: n % 2 ? 'yes' : 'no',
				birthday: '1990-05-17',
				gender: 'male',
				interests: 'video,audio',
				firstname: 7,
			},
		});
		const { output } = await runBrevoEventNode({
			parameters,
			items: [item(0), item(1), item(2, 'old'), item(3)],
			credentials: sandbox.credentials,
			continueOnFail: true,
		});

		expect(attributeRequests()).toHaveLength(1);
		// Requests run concurrently: find item 0's event by its contact, not by arrival order.
		const first = sandbox
			.stored()
			.find(
				({ event }) => (event.identifiers as { email_id: string }).email_id === 'c0@example.com',
			);
		expect(first?.event.contact_properties).toStrictEqual({
			AGE: 30,
			VIP: false,
			BIRTHDAY: '1990-05-17',
			// A category is sent as its option's value: MALE is 2 in the sandbox's account.
			GENDER: 2,
			INTERESTS: ['video', 'audio'],
			FIRSTNAME: '7',
		});
		expect(output![2].json.error).toBe(
			'Invalid Contact Properties › AGE in item 2: "old" is not a number (AGE is a float attribute in Brevo)',
		);
		expect(sandbox.stored()).toHaveLength(3);
	});

	test('without a row of that type, the attributes are not requested at all', async () => {
		await runBrevoEventNode({
			parameters: {
				...parameters,
				contactProperties: { property: [{ name: 'AGE', type: 'number', value: '5' }] },
			},
			items: [{ json: { email: 'x@example.com' } }],
			credentials: sandbox.credentials,
		});
		expect(attributeRequests()).toHaveLength(0);
		expect(sandbox.stored()[0].event.contact_properties).toStrictEqual({ AGE: 5 });
	});
});
