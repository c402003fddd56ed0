import {
	NodeApiError,
	NodeOperationError,
	type ILoadOptionsFunctions,
	type JsonObject,
	type ResourceMapperFields,
} from 'n8n-workflow';

import { BREVO_OAUTH2_CREDENTIAL } from '../../../credentials/BrevoOAuth2Api.credentials';
import { attributeFields } from '../payload/attributes';
import { credentialTypeOf, isPermissionDenied } from '../transport/authentication';
import { BrevoTransport } from '../transport/BrevoTransport';
import { fetchContactAttributes } from '../transport/contactAttributes';

/**
 * The account's contact attributes with their types, for "Map Each Attribute" (n8n's resource
 * mapper): one GET /contacts/attributes each time the editor loads the list.
 */
export async function getContactAttributeFields(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	try {
		const attributes = await fetchContactAttributes(await BrevoTransport.create(this));
		return {
			fields: attributeFields(attributes),
			emptyFieldsNotice: 'This Brevo account has no contact attributes',
		};
	} catch (error) {
		if (!isPermissionDenied(error)) throw new NodeApiError(this.getNode(), error as JsonObject);
		// This mode converts by the account's attribute types at execution too: it needs the access.
		const oauth2 = credentialTypeOf(this) === BREVO_OAUTH2_CREDENTIAL;
		throw new NodeOperationError(
			this.getNode(),
			oauth2
				? 'This OAuth2 app may not read contact attributes: grant it the contacts:read scope and add that to the Scope of the credential'
				: 'This API key may not read contact attributes: give it Contacts read access in Brevo',
			{
				description:
					'Map Each Attribute and Map Automatically read the attributes to convert each value to its type. Without that access, choose Contact Properties → Using Fields Below and give each row its type.',
			},
		);
	}
}
