import { NodeApiError, NodeOperationError, type JsonObject } from 'n8n-workflow';

import {
	BrevoApiError,
	factsOf,
	InvalidItemError,
	restated,
} from '../../../../nodes/BrevoEvent/output/errors';
import { testNode } from '../../../helpers/execute-context';

describe("the node's errors", () => {
	test("keep n8n's names, which n8n uses to tell its errors apart", () => {
		const api = new BrevoApiError(testNode, { status: 400 } as JsonObject, {
			message: 'Brevo answered 400 [item 2]',
			itemIndex: 2,
			stored: 'no',
			reason: 'Brevo answered 400',
		});
		const invalid = new InvalidItemError(testNode, 'Invalid Event Name in item 1: …', {
			itemIndex: 1,
			reason: 'Invalid Event Name',
		});
		expect(api).toBeInstanceOf(NodeApiError);
		expect(api.name).toBe('NodeApiError');
		expect(api.toJSON?.().name).toBe('NodeApiError');
		expect(invalid).toBeInstanceOf(NodeOperationError);
		expect(invalid.name).toBe('NodeOperationError');
		expect(factsOf(api)).toMatchObject({ stored: 'no', reason: 'Brevo answered 400' });
		expect(api.context).toMatchObject({ itemIndex: 2, stored: 'no' });
		expect(factsOf(new Error('other'))).toEqual({});
	});

	test('restated: the same error with more description, built anew', () => {
		const original = new BrevoApiError(testNode, { status: 503 } as JsonObject, {
			message: 'Brevo answered 503 [item 4]',
			description: 'Brevo had a problem.',
			httpCode: '503',
			itemIndex: 4,
			stored: 'unknown',
		});
		const again = restated(testNode, original, 'Before the node stopped: …') as BrevoApiError;
		expect(again).not.toBe(original);
		expect(again.name).toBe('NodeApiError');
		expect(again.message).toBe(original.message);
		expect(again.httpCode).toBe('503');
		expect(again.description).toBe('Brevo had a problem.\n\nBefore the node stopped: …');
		expect(again.context).toMatchObject({ itemIndex: 4, stored: 'unknown' });
		expect(factsOf(again).stored).toBe('unknown');
		expect(original.description).toBe('Brevo had a problem.');
	});
});
