import {
	NodeApiError,
	NodeOperationError,
	type ILoadOptionsFunctions,
	type INodePropertyOptions,
	type JsonObject,
} from 'n8n-workflow';

import { BREVO_OAUTH2_CREDENTIAL } from '../../../credentials/BrevoOAuth2Api.credentials';
import { attributeOptions } from '../payload/attributes';
import { credentialTypeOf, isPermissionDenied } from '../transport/authentication';
import { BrevoTransport } from '../transport/BrevoTransport';
import { fetchContactAttributes } from '../transport/contactAttributes';

/** The account's contact attributes, for the Contact Properties name picker: "AGE (float)". */
export async function getContactAttributes(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	try {
		return attributeOptions(await fetchContactAttributes(await BrevoTransport.create(this)));
	} catch (error) {
		// A key restricted to events is enough to send them: say what the list needs, and the way round it.
		if (!isPermissionDenied(error)) throw new NodeApiError(this.getNode(), error as JsonObject);
		const oauth2 = credentialTypeOf(this) === BREVO_OAUTH2_CREDENTIAL;
		throw new NodeOperationError(
			this.getNode(),
			oauth2
				? 'This OAuth2 app may not read contact attributes: grant it the contacts:read scope and add that to the Scope of the credential, or type the attribute name'
				: 'This API key may not read contact attributes: give it Contacts read access in Brevo, or type the attribute name',
			{
				description:
					'Sending events does not need this access. To type a name, switch the Name field to Expression and enter the attribute, e.g. FIRSTNAME.',
			},
		);
	}
}
