import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { DeliveryMemory } from '../../../../nodes/BrevoEvent/delivery/deliveryMemory';
import type { BrevoEventPayload } from '../../../../nodes/BrevoEvent/payload/event';
import { testNode } from '../../../helpers/execute-context';

/** A try of node run `execution` with Retry On Fail (3 tries), over `items`. */
function context(execution: string, items: INodeExecutionData[], warnings: string[] = []) {
	return {
		getNode: () => ({ ...testNode, retryOnFail: true, maxTries: 3 }),
		getInputData: () => items,
		getWorkflowDataProxy: () => ({ $thisRunIndex: 0 }),
		getExecutionId: () => execution,
		logger: { warn: (message: string) => warnings.push(message) },
	} as unknown as IExecuteFunctions;
}

const event = (at: string) =>
	({ event_name: 'order', identifiers: { ext_id: 'u' }, event_date: at }) as BrevoEventPayload;
const stored = { status: 'stored', statusCode: 204 } as const;

describe('DeliveryMemory (Retry On Fail)', () => {
	let now = 1_000_000;
	beforeEach(() => jest.spyOn(Date, 'now').mockImplementation(() => now));
	afterEach(() => jest.restoreAllMocks());

	test('an item is known by its input: a per-try value in the event does not matter', () => {
		const items = [{ json: { user: 'a' } }, { json: { user: 'b' } }];
		const first = DeliveryMemory.forRun(context('x1', items))!;
		first.remember(0, event('10:00:00'), stored);
		first.end(true);
		const second = DeliveryMemory.forRun(context('x1', items))!;
		expect(second.recall(0)).toEqual(stored);
		expect(second.recall(1)).toBeUndefined();
		expect(second.confirmedEvent(0, event('10:00:00'))).toBe(true);
		expect(second.confirmedEvent(0, event('10:00:01'))).toBe(false);
		second.end(false);
	});

	test('another input at the same index is sent again', () => {
		const first = DeliveryMemory.forRun(context('x2', [{ json: { user: 'a' } }]))!;
		first.remember(0, event('t'), stored);
		first.end(true);
		const second = DeliveryMemory.forRun(context('x2', [{ json: { user: 'z' } }]))!;
		expect(second.recall(0)).toBeUndefined();
		second.end(false);
	});

	test('a try that lasts hours, among many executions, keeps its memory; a stale run is dropped', () => {
		const before = DeliveryMemory.size;
		const long = DeliveryMemory.forRun(context('long', [{ json: { user: 'a' } }]))!;
		long.remember(0, event('t'), stored);
		// An execution cancelled between tries: its memory stays only a while.
		DeliveryMemory.forRun(context('cancelled', [{ json: {} }]))!.end(true);
		for (let e = 0; e < 50; e++) DeliveryMemory.forRun(context(`other-${e}`, [{ json: {} }]));
		now += 3 * 60 * 60 * 1000;
		DeliveryMemory.forRun(context('later', [{ json: {} }]));
		expect(DeliveryMemory.size.runs).toBe(before.runs + 1 + 50 + 1);
		long.end(true);
		const retry = DeliveryMemory.forRun(context('long', [{ json: { user: 'a' } }]))!;
		expect(retry.recall(0)).toEqual(stored);
	});

	test('the last try and a try that ends the run drop the memory', () => {
		const items = [{ json: {} }];
		const before = DeliveryMemory.size.runs;
		DeliveryMemory.forRun(context('done', items))!.end(false);
		expect(DeliveryMemory.size.runs).toBe(before);
		for (let tryNumber = 1; tryNumber <= 3; tryNumber++)
			DeliveryMemory.forRun(context('last', items))!.end(true);
		expect(DeliveryMemory.size.runs).toBe(before);
	});

	test('bounded: a run that does not fit is not remembered, and says so', () => {
		now += 60 * 60 * 1000;
		const warnings: string[] = [];
		const huge = new Array<INodeExecutionData>(2_000_001);
		expect(DeliveryMemory.forRun(context('huge', huge, warnings))).toBeUndefined();
		expect(warnings[0]).toMatch(/cannot remember this run's 2000001 items/);
	});
});
