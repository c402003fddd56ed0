import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { attributeOptions } from '../payload/attributes';
import { credentialTypeOf } from '../transport/authentication';
import { BrevoTransport } from '../transport/BrevoTransport';
import { attributesForEditor } from './attributeAccess';

/**
 * The editor asks for a picker's options once per row: a panel with four contact property rows
 * makes four calls at once. GET /contacts/attributes is in Brevo's 100-per-hour bucket, so one
 * answer serves every row for a few seconds. Keyed by the credential's type, id and base URL (never
 * by a key or token); a failed request is not kept, so the next call asks again.
 */
const SHARED_FOR_MS = 10_000;
const MAX_ENTRIES = 20;
const shared = new Map<string, { until: number; options: Promise<INodePropertyOptions[]> }>();

function forget(now: number): void {
	for (const [key, entry] of shared) if (entry.until <= now) shared.delete(key);
	// Map keeps insertion order: the first keys are the oldest.
	for (const key of shared.keys()) {
		if (shared.size < MAX_ENTRIES) break;
		shared.delete(key);
	}
}

/** One request for the picker, its failure said in the picker's terms. */
async function load(ctx: ILoadOptionsFunctions, transport: BrevoTransport) {
	return attributeOptions(
		await attributesForEditor(ctx, transport, {
			orElse: ', or type the attribute name',
			description:
				'Sending events does not need this access. To type a name, switch the Name field to Expression and enter the attribute, e.g. FIRSTNAME.',
		}),
	);
}

/** The account's contact attributes, for the Contact Properties name picker: "AGE (float)". */
export async function getContactAttributes(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const transport = await BrevoTransport.create(this);
	const credentialType = credentialTypeOf(this);
	const credentialId = this.getNode().credentials?.[credentialType]?.id;
	if (!credentialId) return await load(this, transport);

	const key = `${credentialType} ${credentialId} ${transport.baseUrl}`;
	const now = Date.now();
	forget(now);
	const entry = shared.get(key);
	if (entry) return await entry.options;
	const options = load(this, transport);
	shared.set(key, { until: now + SHARED_FOR_MS, options });
	options.catch(() => {
		if (shared.get(key)?.options === options) shared.delete(key);
	});
	return await options;
}
