import { sleep, type IDataObject } from 'n8n-workflow';

import { useHostileServer } from '../helpers/hostile-server';
import { runBrevoEventNode } from '../helpers/n8n-engine';

/**
 * The node's Timeout is a deadline for the whole request, in n8n-core's real engine, against a
 * local server that trickles its answer a byte at a time (each byte restarts an idle timeout).
 */
describe('Timeout is a deadline', () => {
	jest.setTimeout(60_000);
	const server = useHostileServer();
	let closedAfterMs: number | undefined;

	/** Sends `raw` one byte every `everyMs`, as a slow proxy or a hostile server may. */
	const trickle = (raw: string, everyMs: number, atOnce = 0) => {
		closedAfterMs = undefined;
		server.answerWith((_req, res) => {
			const socket = res.socket!;
			const started = Date.now();
			socket.on('close', () => (closedAfterMs = Date.now() - started));
			socket.write(raw.slice(0, atOnce));
			let sent = atOnce;
			const next = () => {
				if (socket.destroyed || sent >= raw.length) return;
				socket.write(raw[sent++]);
				setTimeout(next, everyMs);
			};
			next();
		});
	};
	const run = async (options: IDataObject, operation: IDataObject = {}) =>
		await runBrevoEventNode({
			parameters: {
				resource: 'event',
				operation: 'create',
				eventName: 'order_created',
				identifiers: { extId: 'u-1' },
				options: { retryServerErrors: false, ...options },
				...operation,
			},
			items: [{ json: {} }],
			credentials: server.credentials,
			continueOnFail: true,
		});

	test('a batch answer whose body is trickled over 12 s, Timeout 2 s: the items fail at the deadline, "may have been stored", the connection closed', async () => {
		// Headers at once (an HTTP client's timeout stops counting there), then the body byte by byte.
		const body = JSON.stringify({ message: 'Batch accepted.', count: 1, padding: '0123456789' });
		const head = `HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`;
		trickle(head + body, 12_000 / body.length, head.length);
		const started = Date.now();
		const { output } = await run({ timeout: 2, sendMode: 'batch' });
		const took = Date.now() - started;
		const json = output![0].json;
		expect(json.success).toBeUndefined();
		// The node's own message, not n8n's "The connection was aborted".
		expect(json.error).toBe(
			"The batch of 1 event failed (item 0): Brevo did not answer within 2 s (the node's Timeout)",
		);
		expect((json.details as IDataObject).stored).toBe('unknown');
		// At the deadline (2 s), far from the 12 s the answer takes; the socket is not left open.
		expect(took).toBeLessThan(8_000);
		for (let i = 0; i < 20 && closedAfterMs === undefined; i++) await sleep(100);
		expect(closedAfterMs).toBeDefined();
		expect(closedAfterMs!).toBeLessThan(8_000);
	});

	test.each([['={{ 2200000 }}'], ['={{ Infinity }}']])(
		'a Timeout of %s (past what a timer can hold) is refused before anything is sent, not cut to 1 ms',
		async (timeout) => {
			const { output, error } = await run({ timeout, retryServerErrors: true });
			expect(error?.message ?? output?.[0].json.error).toMatch(
				/^Options › Timeout must be a number from 1 to 3,600, not /,
			);
			expect(server.received).toHaveLength(0);
		},
	);
});
