import type { JsonObject } from 'n8n-workflow';

import { BrevoApiError, factsOf } from '../../../../nodes/BrevoEvent/output/errors';
import { wholeBatchFailed } from '../../../../nodes/BrevoEvent/output/items';
import { testNode } from '../../../helpers/execute-context';

describe('a batch that failed as a whole', () => {
	const failure = (httpCode: string | undefined, message: string, stored: 'no' | 'unknown') =>
		new BrevoApiError(testNode, { status: httpCode ?? null } as JsonObject, {
			message,
			httpCode,
			stored,
		});
	const items = Array.from({ length: 200 }, (_, i) => 200 + i);

	test('a 4xx is Brevo rejecting it: said so, nothing stored', () => {
		const error = wholeBatchFailed(
			testNode,
			failure('400', 'Brevo answered 400 out_of_range: At most 150 events per batch', 'no'),
			items,
			205,
		);
		expect(error.message).toBe(
			'Brevo rejected the whole batch of 200 events (items 200–399): Brevo answered 400 out_of_range: At most 150 events per batch',
		);
		expect(factsOf(error)).toMatchObject({ stored: 'no' });
		expect(error.context).toMatchObject({ itemIndex: 205 });
	});

	test.each([
		['503', 'Brevo answered 503: unavailable'],
		[undefined, "Brevo did not answer within 20 s (the node's Timeout)"],
	])('%s is not a rejection: the batch failed, stored unknown', (httpCode, message) => {
		const error = wholeBatchFailed(testNode, failure(httpCode, message, 'unknown'), items, 200);
		expect(error.message).toBe(`The batch of 200 events failed (items 200–399): ${message}`);
		expect(error.message).not.toMatch(/rejected/);
		expect(factsOf(error)).toMatchObject({ stored: 'unknown' });
		expect(factsOf(error).reason).toBe(`A whole batch failed: ${message}`);
	});

	test('a batch of one names its item', () => {
		const error = wholeBatchFailed(testNode, failure(undefined, 'x', 'unknown'), [7], 7);
		expect(error.message).toBe('The batch of 1 event failed (item 7): x');
	});
});
