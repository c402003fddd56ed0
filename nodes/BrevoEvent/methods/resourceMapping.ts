import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import { attributeFields } from '../payload/attributes';
import { BrevoTransport } from '../transport/BrevoTransport';
import { fetchContactAttributes } from '../transport/contactAttributes';

/**
 * The account's contact attributes with their types, for "Map Each Attribute" (n8n's resource
 * mapper): one GET /contacts/attributes each time the editor loads the list.
 */
export async function getContactAttributeFields(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const attributes = await fetchContactAttributes(await BrevoTransport.create(this));
	return {
		fields: attributeFields(attributes),
		emptyFieldsNotice: 'This Brevo account has no contact attributes',
	};
}
