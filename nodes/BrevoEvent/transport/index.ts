import { createHash } from 'crypto';

import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { parseAttributes, type ContactAttributes } from '../payload/attributes';
import { isPlainObject } from '../payload/values';
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
 * Return All reads at most this many pages (1,000,000 items): a server that never runs out (or
 * claims a count it never reaches) ends in a clear error, not in a run that grows without end.
 */
export const MAX_PAGES = 2_000;

/**
 * GET `path` page by page through Brevo's limit/offset, up to `max` items, each page yielded as it
 * arrives (so that what was read before a failure is kept). `listKey` names the list in the answer.
 * Nothing of the answers is trusted beyond what was asked: a page longer than asked for is cut; an
 * entry that is not an object, a page seen before (a server that ignores `offset`, even alternating
 * pages) or more items than the answer's own count stops the run with an error naming it, and so
 * does a run past MAX_PAGES. A short page ends the run only when the answer gives no count.
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
	const stop = (message: string) =>
		new NodeOperationError(node, message, {
			itemIndex,
			description: `The ${listKey} read before this point are in the output. The server at the credential's Base URL does not page like Brevo (limit/offset).`,
		});
	let offset = 0;
	const seen = new Map<string, number>();
	for (let pages = 0; ; pages++) {
		if (pages >= MAX_PAGES) {
			throw stop(
				`GET ${path} still had ${listKey} after ${MAX_PAGES.toLocaleString('en-US')} pages (${offset.toLocaleString('en-US')} ${listKey}): Return All stopped. Narrow the query (dates, names) or use Limit`,
			);
		}
		const pageSize = Math.min(PAGE_SIZE, max - offset);
		const response = await apiRequest(transport, {
			method: 'GET',
			path,
			qs: { ...qs, limit: pageSize, offset },
			expect: [200],
			itemIndex,
		});
		const body = response.body as IDataObject;
		const listed = body[listKey] ?? [];
		if (!Array.isArray(listed)) {
			throw new NodeOperationError(
				node,
				`The answer to GET ${path} has no list of ${listKey} ("${listKey}" is ${typeof listed})`,
				{ itemIndex },
			);
		}
		// Never more than asked for: a server that ignores `limit` does not make Limit a lie.
		const items = listed.slice(0, pageSize);
		const odd = items.findIndex((entry) => !isPlainObject(entry));
		if (odd !== -1) {
			throw new NodeOperationError(
				node,
				`The answer to GET ${path} lists ${JSON.stringify(items[odd]) ?? 'undefined'} among its ${listKey} (at ${offset + odd}), not an object: Get Many stopped`,
				{
					itemIndex,
					description: `The ${listKey} read before this page are in the output. The server at the credential's Base URL did not answer like Brevo.`,
				},
			);
		}
		// A server that ignores `offset` repeats pages, one or several in turn: stop rather than loop.
		const fingerprint = createHash('sha256').update(JSON.stringify(items)).digest('base64');
		const seenAt = seen.get(fingerprint);
		if (items.length > 0 && seenAt !== undefined) {
			throw stop(
				`GET ${path} returned the same ${items.length} ${listKey} for offset ${offset} as for offset ${seenAt}: the server ignores "offset", so Return All stopped`,
			);
		}
		seen.set(fingerprint, offset);
		const count = body.count;
		const total =
			typeof count === 'number' && Number.isSafeInteger(count) && count >= 0 ? count : undefined;
		if (total !== undefined && offset + items.length > total) {
			throw stop(
				`GET ${path} returned ${offset + items.length} ${listKey} by offset ${offset}, more than the ${total} its own count says exist: Return All stopped`,
			);
		}
		yield items as IDataObject[];
		offset += items.length;
		if (items.length === 0 || offset >= max || offset >= (total ?? Infinity)) break;
		// A short page ends the list, unless the answer's count says more exist: a server may list
		// fewer per page than asked for (found by a probe: Return All ended at 100 of 1,000).
		if (items.length < pageSize && total === undefined) break;
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
	const listed = (response.body as IDataObject | undefined)?.attributes;
	if (listed !== undefined && !Array.isArray(listed)) {
		throw new NodeOperationError(
			transport.node,
			`The answer to GET /contacts/attributes has no list of attributes ("attributes" is ${listed === null ? 'null' : typeof listed})`,
			{ description: "The server at the credential's Base URL did not answer like Brevo." },
		);
	}
	return parseAttributes(response.body);
}
