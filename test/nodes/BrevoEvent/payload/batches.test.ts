import {
	BatchBuilder,
	batchAnswerMismatch,
	batchOutcomes,
	type Batch,
} from '../../../../nodes/BrevoEvent/payload/batches';
import type { BrevoEventPayload } from '../../../../nodes/BrevoEvent/payload/event';
import { fieldErrorOf } from '../../../helpers/field-error';

const event = (n: number, padding = 0): BrevoEventPayload => ({
	event_name: 'tick',
	identifiers: { ext_id: `u-${n}` },
	...(padding ? { contact_properties: { NOTE: 'x'.repeat(padding) } } : {}),
});

function addAll(builder: BatchBuilder, events: BrevoEventPayload[]): Batch[] {
	const batches: Batch[] = [];
	events.forEach((e, i) => {
		const closed = builder.add(e, i);
		if (closed) batches.push(closed);
	});
	const last = builder.flush();
	if (last) batches.push(last);
	return batches;
}

describe('BatchBuilder', () => {
	test('450 small events make batches of 200, 200 and 50, in order, with their item indexes', () => {
		const batches = addAll(
			new BatchBuilder(),
			Array.from({ length: 450 }, (_, n) => event(n)),
		);
		expect(batches.map((b) => b.events.length)).toEqual([200, 200, 50]);
		expect(batches.flatMap((b) => b.itemIndexes)).toEqual([...Array(450).keys()]);
	});

	test('a batch closes before its body would pass 512 KB, and its byte count is the exact body size', () => {
		// Each event ≈ 30 KB: 17 fit in 512 KB, the 18th would not.
		const events = Array.from({ length: 40 }, (_, n) => event(n, 30_000));
		const batches = addAll(new BatchBuilder(), events);
		for (const batch of batches) {
			const body = JSON.stringify({ events: batch.events });
			expect(Buffer.byteLength(body)).toBe(batch.bytes);
			expect(batch.bytes).toBeLessThanOrEqual(512 * 1024);
		}
		expect(batches[0].events.length).toBe(17);
		expect(batches.flatMap((b) => b.itemIndexes)).toEqual([...Array(40).keys()]);
	});

	test('an event bigger than a whole batch is refused with a field error', () => {
		const error = fieldErrorOf(() => new BatchBuilder().add(event(1, 600_000), 0));
		expect(error.field).toBe('Event');
		expect(error.message).toMatch(/more than a batch request may hold \(524288 bytes\)/);
	});

	test('flush of an empty builder gives nothing', () => {
		expect(new BatchBuilder().flush()).toBeUndefined();
	});
});

describe('batchOutcomes', () => {
	test('202: every event queued', () => {
		expect(batchOutcomes(202, { message: 'Batch accepted', count: 3 }, 3)).toEqual([
			{ ok: true },
			{ ok: true },
			{ ok: true },
		]);
	});

	test('207: the events named by eventIndex are rejected with their message, the others queued', () => {
		const body = {
			status: 'partial_success',
			total_events: 5,
			successful_events: 2,
			failed_events: 3,
			errors: [
				{ eventIndex: [1, 3], message: 'event_name is invalid' },
				{ eventIndex: [4], message: 'identifiers missing' },
			],
		};
		expect(batchOutcomes(207, body, 5)).toEqual([
			{ ok: true },
			{ ok: false, message: 'event_name is invalid' },
			{ ok: true },
			{ ok: false, message: 'event_name is invalid' },
			{ ok: false, message: 'identifiers missing' },
		]);
	});

	test('207 with a single number as eventIndex is read like a list of one', () => {
		expect(batchOutcomes(207, { errors: [{ eventIndex: 0, message: 'bad' }] }, 2)).toEqual([
			{ ok: false, message: 'bad' },
			{ ok: true },
		]);
	});

	test.each([
		['no errors list', {}],
		['errors not an array', { errors: 'oops' }],
		['a null entry', { errors: [null] }],
		['a missing eventIndex', { errors: [{ message: 'bad' }] }],
		['a non-numeric eventIndex', { errors: [{ eventIndex: ['0'], message: 'bad' }] }],
		['an out-of-range eventIndex', { errors: [{ eventIndex: [9], message: 'x' }] }],
		['an empty eventIndex list', { errors: [{ eventIndex: [], message: 'x' }] }],
	])('a 207 with %s cannot be read: no event is reported as queued', (_, body) => {
		expect(batchOutcomes(207, body, 2)).toBeUndefined();
	});

	test('a 400 with per-event reasons fails every event, each with its own reason when Brevo gave one', () => {
		const body = {
			message: 'all events in the batch failed validation',
			errors: [{ eventIndex: [1], message: 'event_name is invalid' }],
		};
		expect(batchOutcomes(400, body, 2)).toEqual([
			{
				ok: false,
				message: 'Brevo refused the whole batch: all events in the batch failed validation',
			},
			{ ok: false, message: 'event_name is invalid' },
		]);
	});
});

describe('batchAnswerMismatch: an answer is believed only when its counts add up', () => {
	const partial = (size: number, failed: number[], counts: Record<string, unknown> = {}) => ({
		status: 'partial_success',
		total_events: size,
		successful_events: size - failed.length,
		failed_events: failed.length,
		errors: [{ eventIndex: failed, message: 'blocked' }],
		...counts,
	});

	test.each([
		['202 with the count sent', 202, { count: 3 }],
		['202 without a count (nothing to check)', 202, { message: 'Batch accepted' }],
		["Brevo's 207", 207, partial(5, [1, 3])],
		['a 207 without counts', 207, { errors: [{ eventIndex: [0], message: 'x' }] }],
		['a 400 naming some events', 400, { errors: [{ eventIndex: [1], message: 'x' }] }],
		[
			'a 207 whose indexes are not numbers (left to batchOutcomes)',
			207,
			{ errors: [{ eventIndex: null }] },
		],
	])('%s: consistent', (_, status, body) => {
		expect(batchAnswerMismatch(status, body, status === 202 ? 3 : 5)).toBeUndefined();
	});

	test.each([
		['202 counting fewer', 202, { count: 2 }, 'it counts 2 events queued, for 3 sent'],
		['202 counting more', 202, { count: 4 }, 'it counts 4 events queued, for 3 sent'],
		[
			'207 counting 5 failed, naming 3',
			207,
			partial(5, [0, 1, 2], { failed_events: 5 }),
			'it counts 5 failed events but names 3',
		],
		[
			'207 naming none',
			207,
			partial(5, [], { failed_events: 5 }),
			'names no rejected event, yet counts 5 failed',
		],
		[
			'207 whose counts exceed the total',
			207,
			partial(5, [3], { successful_events: 5 }),
			'it counts 5 successful and 1 failed events, for 5 sent',
		],
		[
			'207 naming an event twice',
			207,
			{ errors: [{ eventIndex: [3, 3], message: 'x' }] },
			'it names event 3 twice',
		],
		[
			'207 naming an event not sent',
			207,
			{ errors: [{ eventIndex: [7], message: 'x' }] },
			'it names event 7, of 5 sent',
		],
		[
			'207 with another total',
			207,
			partial(5, [1], { total_events: 6 }),
			'it counts 6 events in total, for 5 sent',
		],
		[
			'400 counting successes',
			400,
			partial(5, [1]),
			'refuses the whole batch yet counts 4 events as successful',
		],
	])('%s: says so', (_, status, body, said) => {
		expect(batchAnswerMismatch(status, body, status === 202 ? 3 : 5)).toContain(said);
	});
});
