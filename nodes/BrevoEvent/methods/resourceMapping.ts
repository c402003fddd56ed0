import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import { attributeFields } from '../payload/attributes';
import { BrevoTransport } from '../transport/BrevoTransport';
import { attributesForEditor } from './attributeAccess';

/**
 * The account's contact attributes with their types, for "Map Each Attribute" (n8n's resource
 * mapper): one GET /contacts/attributes each time the editor loads the list.
 */
export async function getContactAttributeFields(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const attributes = await attributesForEditor(this, BrevoTransport.create(this), {
		// This mode converts by the account's attribute types at execution too: it needs the access.
		description:
			'Map Each Attribute and Map Automatically read the attributes to convert each value to its type. Without that access, choose Contact Properties → Using Fields Below and give each row its type.',
	});
	return {
		fields: attributeFields(attributes),
		emptyFieldsNotice: 'This Brevo account has no contact attributes',
	};
}
