import { Outcomes } from '../../../../nodes/BrevoEvent/delivery/outcomes';

describe('the run summary', () => {
	test('counts stored, queued and refused, grouped by reason, largest group first', () => {
		const outcomes = new Outcomes(12_346);
		for (let i = 0; i < 12_340; i++) outcomes.succeeded('queued');
		outcomes.failed(8, new Error('Brevo answered 401 unauthorized: Key not found [item 8]'));
		outcomes.failed(
			17,
			Object.assign(new Error('Invalid AGE in item 17: "x"'), { reason: 'Invalid AGE' }),
		);
		outcomes.failed(
			9,
			Object.assign(new Error('Invalid AGE in item 9: "y"'), { reason: 'Invalid AGE' }),
		);
		outcomes.failed(
			40,
			Object.assign(new Error('Invalid AGE in item 40: "z"'), { reason: 'Invalid AGE' }),
		);
		outcomes.failed(
			3,
			Object.assign(new Error('… item 3'), {
				reason: 'Brevo rejected the event (HTTP 207): blocked',
			}),
		);
		outcomes.failed(5, new Error('Brevo answered 401 unauthorized: Key not found [item 5]'));
		expect(outcomes.text()).toBe(
			'12,346 items: 12,340 queued by Brevo (processed later), 6 refused. Refused: 3 × Invalid AGE (first: item 9); 2 × Brevo answered 401 unauthorized: Key not found (first: item 5); 1 × Brevo rejected the event (HTTP 207): blocked (first: item 3).',
		);
		expect(outcomes.accepted).toBe(12_340);
	});

	test('items never reached after the node stopped are counted as not sent', () => {
		const outcomes = new Outcomes(10);
		outcomes.succeeded('stored');
		outcomes.succeeded('stored');
		outcomes.failed(2, new Error('boom'));
		expect(outcomes.text()).toBe(
			'10 items: 2 stored by Brevo, 1 refused, 7 not sent (the node stopped at an error). Refused: 1 × boom (first: item 2).',
		);
	});

	test('reported as an info hint above the output when nothing was refused, and logged', () => {
		const hints: unknown[] = [];
		const logged: unknown[] = [];
		const outcomes = new Outcomes(1);
		outcomes.succeeded('stored');
		outcomes.report({
			addExecutionHints: (...added: unknown[]) => hints.push(...added),
			logger: { info: (...args: unknown[]) => logged.push(args) },
		} as never);
		expect(hints).toEqual([
			{ message: 'Brevo Event: 1 item: 1 stored by Brevo.', type: 'info', location: 'outputPane' },
		]);
		expect(logged).toEqual([
			['Brevo Event: 1 item: 1 stored by Brevo.', { items: 1, stored: 1, queued: 0, refused: 0 }],
		]);
	});
});
