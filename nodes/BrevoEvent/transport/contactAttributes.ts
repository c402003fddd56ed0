import { parseAttributes, type ContactAttributes } from '../payload/attributes';
import type { BrevoTransport } from './BrevoTransport';

/**
 * Reads the account's contact attributes (GET /contacts/attributes). Brevo counts this endpoint in
 * its 100 requests/hour bucket, so callers ask once per execution, and only when needed.
 */
export async function fetchContactAttributes(
	transport: BrevoTransport,
): Promise<ContactAttributes> {
	const response = await transport.request({
		method: 'GET',
		path: '/contacts/attributes',
		expect: [200],
	});
	return parseAttributes(response.body);
}
