import type { INode } from 'n8n-workflow';

import type { BrevoTransport } from '../../../../nodes/BrevoEvent/transport/BrevoTransport';
import { apiRequestAllItems, MAX_PAGES } from '../../../../nodes/BrevoEvent/transport/index';

/** A server that never runs out of fresh pages and claims a huge count. */
function endlessTransport() {
	let requests = 0;
	const transport = {
		node: { name: 'Brevo Event' } as INode,
		request: async ({ qs }: { qs: { offset: number; limit: number } }) => {
			requests++;
			const events = Array.from({ length: qs.limit }, (_, i) => ({ seq: qs.offset + i }));
			return { statusCode: 200, headers: {}, body: { count: 1e12, events } };
		},
	};
	return { transport: transport as unknown as BrevoTransport, requests: () => requests };
}

test('Return All reads at most MAX_PAGES pages, then stops with an error naming what to do', async () => {
	const { transport, requests } = endlessTransport();
	let read = 0;
	const pages = apiRequestAllItems(transport, {
		path: '/events',
		listKey: 'events',
		qs: {},
		max: Infinity,
		itemIndex: 0,
	});
	const error = await (async () => {
		for await (const page of pages) read += page.length;
	})().catch((e: Error) => e);
	expect(requests()).toBe(MAX_PAGES);
	expect(read).toBe(MAX_PAGES * 500);
	expect(error?.message).toMatch(/still had events after 2,000 pages .*Narrow the query/);
});
