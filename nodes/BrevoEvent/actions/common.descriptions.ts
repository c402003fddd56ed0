import type {
	INodeCredentialDescription,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { BREVO_API_CREDENTIAL } from '../../../credentials/BrevoApi.credentials';
import { BREVO_OAUTH2_CREDENTIAL } from '../../../credentials/BrevoOAuth2Api.credentials';
import { FILTER, PROPERTY_ROW } from '../parameters/names';
import { AUTHENTICATION, AUTHENTICATION_PARAMETER } from '../transport/authentication';

/**
 * Building blocks of the operations' descriptions, as plain constants. Each operation lists its
 * parameters with only their own display conditions (a mode, say) and applies its resource and
 * operation once, with n8n's updateDisplayOptions.
 */

/** displayOptions showing a parameter when parameter `mode` has one of `values`. */
export function inMode(mode: string, values: string[]): INodeProperties['displayOptions'] {
	return { show: { [mode]: values } };
}

/** The two modes every "… Properties" input offers after its own: typed rows, one JSON object. */
export const ROWS_AND_JSON_MODES: INodePropertyOptions[] = [
	{
		name: 'Using Fields Below',
		value: 'keypair',
		description: 'Enter or map each value in a row, with the type it is sent as',
	},
	{ name: 'Using JSON', value: 'json', description: 'Enter or map one JSON object' },
];

/** The JSON types a row's value may be sent as; `date` is the target's own date format. */
export function valueTypes(date: INodePropertyOptions): INodePropertyOptions[] {
	return [
		{ name: 'String', value: 'string', description: 'Sent as text' },
		{ name: 'Number', value: 'number', description: 'Sent as a JSON number, e.g. 142' },
		{
			name: 'Boolean',
			value: 'boolean',
			description: 'Sent as true or false; accepts true/false, 1/0, yes/no',
		},
		date,
		{
			name: 'JSON',
			value: 'json',
			description: 'Parsed from JSON text: an object, array, number, boolean or string',
		},
	];
}

/** One row of a "… Properties" list: its name field, then the type it is sent as and the value. */
export function propertyRow(
	name: INodeProperties,
	types: INodePropertyOptions[],
): { displayName: string; name: string; values: INodeProperties[] } {
	return {
		displayName: 'Property',
		name: PROPERTY_ROW,
		values: [
			name,
			{
				displayName: 'Type',
				name: 'type',
				type: 'options',
				options: types,
				default: 'string',
				description: 'The JSON type the value is sent as',
			},
			{
				displayName: 'Value',
				name: 'value',
				type: 'string',
				default: '',
				description: 'The value, converted to the chosen type before sending',
			},
		],
	};
}

/**
 * A comma-separated list of input field names. `requiresDataPath` makes a field dragged onto it
 * drop its name (not an expression of its value), as in n8n's Split Out and Aggregate.
 */
export function inputFieldList(
	parameter: Pick<
		INodeProperties,
		'displayName' | 'name' | 'description' | 'placeholder' | 'displayOptions'
	>,
): INodeProperties {
	return { type: 'string', default: '', requiresDataPath: 'multiple', ...parameter };
}

/** Both credentials, each shown for its value of the Authentication parameter (both nodes). */
export const BREVO_CREDENTIALS: INodeCredentialDescription[] = [
	{
		name: BREVO_API_CREDENTIAL,
		required: true,
		displayOptions: { show: { [AUTHENTICATION_PARAMETER]: [AUTHENTICATION.apiKey] } },
	},
	{
		name: BREVO_OAUTH2_CREDENTIAL,
		required: true,
		displayOptions: { show: { [AUTHENTICATION_PARAMETER]: [AUTHENTICATION.oAuth2] } },
	},
];

/** Which credential a node uses (both nodes). */
export const AUTHENTICATION_PROPERTY: INodeProperties = {
	displayName: 'Authentication',
	name: AUTHENTICATION_PARAMETER,
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'API Key', value: AUTHENTICATION.apiKey },
		{ name: 'OAuth2 (Machine-to-Machine)', value: AUTHENTICATION.oAuth2 },
	],
	// Nodes saved before OAuth2 existed have no value here: they keep their API key. A literal
	// (AUTHENTICATION.apiKey): n8n's lint reads a default only as one.
	default: 'apiKey',
	description:
		'How to sign in to Brevo: a v3 API key (xkeysib-…), or an OAuth2 machine-to-machine app (client ID and secret), which Brevo recommends over static keys',
};

/** GET /events filters shared by Get Many and the trigger (each list keeps n8n's A–Z order). */
export const CONTACT_IDS_FILTER: INodeProperties = {
	displayName: 'Contact IDs',
	name: FILTER.contactIds,
	type: 'string',
	default: '',
	placeholder: 'e.g. 42, 43',
	description: 'Only events of these Brevo contact IDs (comma-separated)',
};

export const EVENT_NAMES_FILTER: INodeProperties = {
	displayName: 'Event Names',
	name: FILTER.eventNames,
	type: 'string',
	default: '',
	placeholder: 'e.g. order_created, video_played',
	description: 'Only events with one of these names (comma-separated)',
};

export const OBJECT_TYPES_FILTER: INodeProperties = {
	displayName: 'Object Types',
	name: FILTER.objectTypes,
	type: 'string',
	default: '',
	placeholder: 'e.g. subscription',
	description: 'Only events linked to objects of these types (comma-separated)',
};
