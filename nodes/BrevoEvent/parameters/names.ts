/**
 * Names of the parameters that the descriptions declare and the readers read, in one place so that
 * each can be found with grep and the two can never disagree.
 */

/** The three parameters behind "Contact Properties" and "Event Properties": a mode, rows, JSON. */
export const PROPERTY_PARAMETERS = {
	contact: {
		mode: 'specifyContactProperties',
		rows: 'contactProperties',
		json: 'contactPropertiesJson',
	},
	event: {
		mode: 'specifyEventProperties',
		rows: 'eventProperties',
		json: 'eventPropertiesJson',
	},
} as const;

/** How the user enters properties: not at all, as typed rows, or as one JSON object. */
export type PropertiesMode = 'none' | 'keypair' | 'json';

/** The node's "Authentication" parameter and its values; the transport maps each to a credential. */
export const AUTHENTICATION_PARAMETER = 'authentication';
export const AUTHENTICATION = { apiKey: 'apiKey', oAuth2: 'oAuth2' } as const;
