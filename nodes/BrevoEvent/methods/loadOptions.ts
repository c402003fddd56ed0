import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { attributeOptions } from '../payload/attributes';
import { BrevoTransport } from '../transport/BrevoTransport';
import { fetchContactAttributes } from '../transport/contactAttributes';

/** The account's contact attributes, for the Contact Properties name picker: "AGE (float)". */
export async function getContactAttributes(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return attributeOptions(await fetchContactAttributes(await BrevoTransport.create(this)));
}
