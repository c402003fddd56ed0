import type { IDataObject } from 'n8n-workflow';

import { runBrevoEventNode } from '../helpers/n8n-engine';
import { useSandbox } from '../helpers/sandbox';

/** Batch mode in n8n-core's engine against the sandbox's POST /events/batch. */
describe('Create in batch mode', () => {
	const sandbox = useSandbox();

	const parameters = {
		resource: 'event',
		operation: 'create',
		eventName: 'order_created',
		identifiers: { extId: '={{ $json.user }}' },
		specifyEventProperties: 'keypair',
		eventProperties: { property: [{ name: 'seq', type: 'number', value: '={{ $json.seq }}' }] },
		options: { sendMode: 'batch', requestsPerSecond: 50 },
	};
	const items = (n: number) =>
		Array.from({ length: n }, (_, seq) => ({ json: { seq, user: `u-${seq}` } }));
	const storedSeqs = () =>
		sandbox
			.stored()
			.map(({ event }) => (event.event_properties as { seq: number }).seq)
			.sort((a, b) => a - b);
	const batchRequests = () => sandbox.requests().filter((r) => r.route === 'POST /events/batch');

	test('450 items go out as 3 batch requests; every item is queued (202) and paired', async () => {
		const { output, error } = await runBrevoEventNode({
			parameters,
			items: items(450),
			credentials: sandbox.credentials,
		});

		expect(error).toBeUndefined();
		expect(batchRequests().map((r) => r.status)).toEqual([202, 202, 202]);
		expect(sandbox.requests().filter((r) => r.route === 'POST /events')).toHaveLength(0);
		expect(storedSeqs()).toEqual([...Array(450).keys()]);
		expect(output).toHaveLength(450);
		output!.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toMatchObject({ success: true, status: 'queued', statusCode: 202 });
			expect((item.json.event as IDataObject).event_properties).toEqual({ seq: i });
		});
	});

	test('207: the events Brevo turned down become error items of their own input items; the rest are queued', async () => {
		// Second batch (items 200–299): Brevo rejects its events 5 and 17, i.e. items 205 and 217.
		await sandbox.configure({ faults: { 'POST /events/batch': ['ok', 'reject:5,17'] } });
		const { output } = await runBrevoEventNode({
			parameters,
			items: items(300),
			credentials: sandbox.credentials,
			continueOnFail: true,
		});

		expect(batchRequests().map((r) => r.status)).toEqual([202, 207]);
		expect(output).toHaveLength(300);
		const failed = output!.filter((item) => item.json.error);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 205 }, { item: 217 }]);
		expect(failed[0].json.error).toBe(
			'Brevo rejected the event of item 205: contact is blocklisted',
		);
		expect((failed[0].json.details as IDataObject).httpCode).toBe('207');
		expect(output![204].json).toMatchObject({ success: true, status: 'queued', statusCode: 207 });
		expect(storedSeqs()).toEqual([...Array(300).keys()].filter((i) => i !== 205 && i !== 217));
	});

	test('207 without Continue On Fail fails the node, naming the item', async () => {
		await sandbox.configure({ faults: { 'POST /events/batch': ['reject:3'] } });
		const { error } = await runBrevoEventNode({
			parameters,
			items: items(10),
			credentials: sandbox.credentials,
		});
		expect(error?.message).toBe('Brevo rejected the event of item 3: contact is blocklisted');
	});

	test('a batch Brevo rejects whole (over its limit): each of its items gets the reason; other batches still go', async () => {
		// As if Brevo's real limit were 150: our 200-event batch is refused, the last 50 pass.
		await sandbox.configure({ batchMaxEvents: 150 });
		const { output } = await runBrevoEventNode({
			parameters,
			items: items(250),
			credentials: sandbox.credentials,
			continueOnFail: true,
		});

		expect(batchRequests().map((r) => r.status)).toEqual([400, 202]);
		expect(output).toHaveLength(250);
		const errors = output!.slice(0, 200);
		expect(
			errors.every(
				(item, i) => item.json.error && (item.pairedItem as { item: number }).item === i,
			),
		).toBe(true);
		expect(errors[0].json.error).toBe(
			'Brevo rejected the whole batch of 200 events (items 0–199): Brevo answered 400 out_of_range: At most 150 events per batch',
		);
		expect(output!.slice(200).every((item) => item.json.success === true)).toBe(true);
		expect(storedSeqs()).toEqual([...Array(50).keys()].map((i) => 200 + i));
	});

	test('invalid items are caught before sending and never enter a batch', async () => {
		const input = items(5);
		input[2].json.user = '';
		const { output } = await runBrevoEventNode({
			parameters,
			items: input,
			credentials: sandbox.credentials,
			continueOnFail: true,
		});
		expect(output![2].json.error).toMatch(
			/^Invalid Identifiers in item 2: no identifier has a value/,
		);
		expect(storedSeqs()).toEqual([0, 1, 3, 4]);
		expect(batchRequests()).toHaveLength(1);
	});

	test('429 and 5xx on the batch endpoint are retried without loss or duplicates', async () => {
		await sandbox.configure({
			faults: { 'POST /events/batch': ['500', 'ok', 'drop'] },
			throttle: { 'POST /events/batch': 1500 },
		});
		const { output, error } = await runBrevoEventNode({
			parameters,
			items: items(600),
			credentials: sandbox.credentials,
		});
		expect(error).toBeUndefined();
		expect(batchRequests().map((r) => r.status)).toEqual(expect.arrayContaining([500, 429, -1]));
		expect(output!.every((item) => item.json.success === true)).toBe(true);
		expect(storedSeqs()).toEqual([...Array(600).keys()]);
	}, 30_000);
});
