import { NodeOperationError } from 'n8n-workflow';

import { BrevoEvent } from '../../../../nodes/BrevoEvent/BrevoEvent.node';
import seedParameters from '../../../fixtures/seed-parameters.json';
import { executeContext } from '../../../helpers/execute-context';

/** Options that accept expressions: whatever they resolve to is checked before anything is sent. */
describe('Create options that steer sending', () => {
	const node = new BrevoEvent();

	async function runWith(options: Record<string, unknown>) {
		const context = executeContext({ parameters: { ...seedParameters, options } });
		const error = await node.execute.call(context.ctx).then(
			() => undefined,
			(e: Error) => e,
		);
		return { error, requests: context.requests };
	}

	test.each([
		[Number.NaN, 'NaN'],
		[0, '0'],
		[-2, '-2'],
		['fast', '"fast"'],
		['', '""'],
		[null, 'null'],
		[Infinity, 'Infinity'],
		[101, '101'],
		['0x14', '"0x14"'],
	])('Requests per Second %p stops the run, named, and nothing is sent', async (value, shown) => {
		const { error, requests } = await runWith({ requestsPerSecond: value });
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error?.message).toBe(
			`Options › Requests per Second must be a number above 0 and at most 100, not ${shown}`,
		);
		expect((error as NodeOperationError).description).toMatch(/plan's limit/);
		expect(requests).toHaveLength(0);
	});

	test('Requests per Second from an expression that resolves to a numeric string is used', async () => {
		const { error, requests } = await runWith({ requestsPerSecond: '20' });
		expect(error).toBeUndefined();
		expect(requests).toHaveLength(1);
	});

	test.each([
		[Number.NaN, 'NaN'],
		[-1, '-1'],
		[Infinity, 'Infinity'],
		[1e9, '1000000000'],
	])('Max Rate-Limit Wait %p stops the run, named', async (value, shown) => {
		const { error, requests } = await runWith({ maxRateLimitWait: value });
		expect(error?.message).toBe(
			`Options › Max Rate-Limit Wait must be a number from 0 to 86,400, not ${shown}`,
		);
		expect(requests).toHaveLength(0);
	});

	test.each([
		[Infinity, 'Infinity'],
		[Number.NaN, 'NaN'],
		[0, '0'],
		[-5, '-5'],
		// Above 2^31-1 ms, Node's timers would make it 1 ms: abort at once, retry, store twice.
		[2_200_000, '2200000'],
		[3_601, '3601'],
		['20 s', '"20 s"'],
		['', '""'],
	])('Timeout %p stops the run, named, and nothing is sent', async (value, shown) => {
		const { error, requests } = await runWith({ timeout: value });
		expect(error?.message).toBe(`Options › Timeout must be a number from 1 to 3,600, not ${shown}`);
		expect(requests).toHaveLength(0);
	});

	test('Timeout as numeric text from an expression is used as its number, as n8n does', async () => {
		const { error, requests } = await runWith({ timeout: '20' });
		expect(error).toBeUndefined();
		expect(requests).toHaveLength(1);
		expect(requests[0].options.timeout).toBe(20_000);
	});
});
