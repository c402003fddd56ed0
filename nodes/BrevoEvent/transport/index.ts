import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { parseAttributes, type ContactAttributes } from '../payload/attributes';
import type { BrevoRequest, BrevoResponse, BrevoTransport } from './BrevoTransport';

/**
 * The requests the operations make, on top of BrevoTransport (which paces, retries and reads
 * every answer; it is a class because an execution's requests share its pacing and in-flight slots).
 */

/** One request to Brevo: an expected answer, or a NodeApiError that names the item. */
export async function apiRequest(
	transport: BrevoTransport,
	request: BrevoRequest,
): Promise<BrevoResponse> {
	return await transport.request(request);
}

/** Brevo allows up to 10,000 per page; smaller pages keep each answer (and memory) modest. */
const PAGE_SIZE = 500;

/**
 * GET `path` page by page through Brevo's limit/offset, up to `max` items, each page yielded as it
 * arrives (so that what was read before a failure is kept). `listKey` names the list in the answer.
 */
export async function* apiRequestAllItems(
	transport: BrevoTransport,
	{
		path,
		listKey,
		qs,
		max,
		itemIndex,
	}: { path: string; listKey: string; qs: IDataObject; max: number; itemIndex: number },
): AsyncGenerator<IDataObject[]> {
	const node = transport.node;
	let offset = 0;
	let previousPage: string | undefined;
	for (;;) {
		const pageSize = Math.min(PAGE_SIZE, max - offset);
		const response = await apiRequest(transport, {
			method: 'GET',
			path,
			qs: { ...qs, limit: pageSize, offset },
			expect: [200],
			itemIndex,
		});
		const body = response.body as IDataObject;
		const items = body[listKey] ?? [];
		if (!Array.isArray(items)) {
			throw new NodeOperationError(
				node,
				`The answer to GET ${path} has no list of ${listKey} ("${listKey}" is ${typeof items})`,
				{ itemIndex },
			);
		}
		// A server that ignores `offset` returns the same page forever: stop rather than loop.
		const page = JSON.stringify(items);
		if (items.length > 0 && page === previousPage) {
			throw new NodeOperationError(
				node,
				`GET ${path} returned the same ${items.length} ${listKey} for offset ${offset} as for offset ${offset - items.length}: the server ignores "offset", so Return All stopped`,
				{ itemIndex, description: `The ${listKey} read before this point are in the output.` },
			);
		}
		previousPage = page;
		yield items as IDataObject[];
		offset += items.length;
		const total = typeof body.count === 'number' ? body.count : Infinity;
		if (items.length === 0 || items.length < pageSize) break;
		if (offset >= total || offset >= max) break;
	}
}

/**
 * Reads the account's contact attributes (GET /contacts/attributes). Brevo counts this endpoint in
 * its 100 requests/hour bucket, so callers ask once per execution, and only when needed.
 */
export async function fetchContactAttributes(
	transport: BrevoTransport,
): Promise<ContactAttributes> {
	const response = await apiRequest(transport, {
		method: 'GET',
		path: '/contacts/attributes',
		expect: [200],
	});
	return parseAttributes(response.body);
}
