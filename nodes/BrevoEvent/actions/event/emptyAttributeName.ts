import { NodeApiError } from 'n8n-workflow';

import { RowWithoutNameError } from '../../payload/FieldError';
import { isPermissionDenied, isTokenRefusal } from '../../transport/answers';
import type { BrevoTransport } from '../../transport/BrevoTransport';
import { fetchContactAttributes } from '../../transport/index';

/**
 * n8n 2.41's editor empties a contact row's Name picked from the list when the node's credential
 * changes and the list read with the new credential does not hold it (ParameterInput resets an
 * options parameter to its default); a list that cannot be read holds nothing. So after a switch to
 * an expired key and back, a row has its value but no Name, and every run would fail with "Name is
 * empty" before any request, hiding the refused credential. Hence, only when such a row exists:
 * read the list as the picker did, report a refused credential as such, else say why the Name is gone.
 */
const EMPTIED =
	"n8n's editor empties an attribute picked from the list when the node's credential changes and the attribute list read with the new credential does not hold it (or could not be read). Pick the attribute again.";

const NOT_READABLE =
	"This credential may not read the contact attribute list, so n8n's editor could not keep the attribute picked from it. Switch Name to Expression and type the attribute, e.g. FIRSTNAME.";

/** Brevo's refusal of the credential itself (wrong or expired key, refused OAuth2 token), if it is one. */
function credentialRefusal(error: unknown): NodeApiError | undefined {
	if (!(error instanceof NodeApiError)) return undefined;
	return isTokenRefusal(error) || error.httpCode === '401' ? error : undefined;
}

/**
 * The hint for a contact row without Name; throws Brevo's refusal of the credential instead, the
 * failure a send would have reported. `attributesRead`: the run has read the list already.
 */
export async function emptyAttributeNameHint(
	transport: BrevoTransport,
	attributesRead: boolean,
): Promise<string> {
	if (attributesRead) return EMPTIED;
	try {
		await fetchContactAttributes(transport);
		return EMPTIED;
	} catch (error) {
		const refusal = credentialRefusal(error);
		if (refusal) throw refusal;
		return isPermissionDenied(error) ? NOT_READABLE : EMPTIED;
	}
}

/** The payload's "Name is empty" of a contact row, with `hint`; any other error as it is. */
export function explainEmptyAttributeName(error: unknown, hint: string | undefined): unknown {
	if (hint === undefined || !(error instanceof RowWithoutNameError) || error.target !== 'contact')
		return error;
	return new RowWithoutNameError(error.field, error.target, hint);
}
