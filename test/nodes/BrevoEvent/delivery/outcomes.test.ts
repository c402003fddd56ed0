import {
	MAX_SUMMARY_CHARS,
	normalizedReason,
	Outcomes,
} from '../../../../nodes/BrevoEvent/delivery/outcomes';

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

describe('the run summary is bounded, whatever was refused', () => {
	test('5,000 items refused for one reason naming each one’s email: one group, a short text', () => {
		const outcomes = new Outcomes(5_000);
		for (let i = 0; i < 5_000; i++) {
			outcomes.failed(
				i,
				new Error(
					`Brevo answered 400 invalid_parameter: email_id "user-${i}@example.com" is not valid (event ${i}) [item ${i}]`,
				),
			);
		}
		expect(outcomes.text()).toBe(
			'5,000 items: 5,000 refused. Refused: 5,000 × Brevo answered 400 invalid_parameter: email_id "…" is not valid (event N) (first: item 0).',
		);
	});

	test('emails, dates and indexes outside quotes become placeholders too', () => {
		expect(
			normalizedReason(
				'Brevo rejected the event: contact jane.doe+x@mail.example.org blocked until 2026-12-03T13:24:44Z, items 4, 5 and 9 [item 4]',
			),
		).toBe(
			'Brevo rejected the event: contact <email> blocked until <date>, items N [item 4]'.replace(
				' [item 4]',
				'',
			),
		);
	});

	test('thousands of distinct reasons: five named, the rest counted, at most MAX_SUMMARY_CHARS', () => {
		const outcomes = new Outcomes(20_000);
		for (let i = 0; i < 20_000; i++) {
			outcomes.failed(
				i,
				new Error(`reason ${String.fromCharCode(65 + (i % 26))}${i % 997} ${'x'.repeat(300)}`),
			);
		}
		const text = outcomes.text();
		expect(text.length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
		expect(text.match(/ × /g)).toHaveLength(5);
		expect(text).toMatch(/; [\d,]+ for other reasons \(first: item \d+\)\.$/);
	});
});
