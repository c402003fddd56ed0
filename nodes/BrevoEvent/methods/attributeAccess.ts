import {
	NodeApiError,
	NodeOperationError,
	type ILoadOptionsFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { BREVO_OAUTH2_CREDENTIAL } from '../../../credentials/BrevoOAuth2Api.credentials';
import type { ContactAttributes } from '../payload/attributes';
import { isPermissionDenied } from '../transport/answers';
import { credentialTypeOf } from '../transport/authentication';
import type { BrevoTransport } from '../transport/BrevoTransport';
import { fetchContactAttributes } from '../transport/index';

/**
 * The account's contact attributes for the editor. A key restricted to events is enough to send
 * them, so a refusal for lack of access says what the list needs, what to do instead (`orElse`,
 * appended to the message) and why (`description`); any other failure (the transport's creation
 * included) is n8n's API error.
 */
export async function attributesForEditor(
	ctx: ILoadOptionsFunctions,
	transport: BrevoTransport | Promise<BrevoTransport>,
	{ orElse = '', description }: { orElse?: string; description: string },
): Promise<ContactAttributes> {
	try {
		return await fetchContactAttributes(await transport);
	} catch (error) {
		if (!isPermissionDenied(error)) throw new NodeApiError(ctx.getNode(), error as JsonObject);
		const oauth2 = credentialTypeOf(ctx) === BREVO_OAUTH2_CREDENTIAL;
		throw new NodeOperationError(
			ctx.getNode(),
			(oauth2
				? 'This OAuth2 app may not read contact attributes: grant it the contacts:read scope and add that to the Scope of the credential'
				: 'This API key may not read contact attributes: give it Contacts read access in Brevo') +
				orElse,
			{ description },
		);
	}
}
