/**
 * Names of the parameters that the descriptions declare and the readers read, in one place so that
 * each can be found with grep and the two can never disagree.
 */

/** The parameters behind "Contact Properties" and "Event Properties": a mode, then its inputs. */
export const PROPERTY_PARAMETERS = {
	contact: {
		mode: 'specifyContactProperties',
		rows: 'contactProperties',
		json: 'contactPropertiesJson',
		/** Map Each Attribute: n8n's resource mapper over the account's contact attributes. */
		mapper: 'contactAttributes',
		/** Map Automatically: input fields not to send even if they match an attribute. */
		except: 'contactPropertiesExcept',
	},
	event: {
		mode: 'specifyEventProperties',
		rows: 'eventProperties',
		json: 'eventPropertiesJson',
		/** Selected Input Fields: the input fields to send. */
		fields: 'eventPropertiesFields',
		/** All Input Fields: the input fields not to send. */
		except: 'eventPropertiesExcept',
	},
} as const;

/** The one value of a "… Properties" list: its rows. */
export const PROPERTY_ROW = 'property';

/** Identifiers: typed or mapped values, or the names of the input fields holding them. */
export const IDENTIFIER_PARAMETERS = {
	mode: 'identifiersFrom',
	values: 'identifiers',
	fields: 'identifierFields',
} as const;

export const EVENT_NAME = 'eventName';
export const ADDITIONAL_FIELDS = 'additionalFields';
/** Inside Additional Fields: the event date as a value, or the input field holding it. */
export const EVENT_DATE = 'eventDate';
export const EVENT_DATE_FIELD = 'eventDateField';
/** Inside Additional Fields: the object record the event concerns, and its one entry. */
export const EVENT_OBJECT = { name: 'object', values: 'objectValues' } as const;
export const OPTIONS = 'options';
/** Inside Options: how events travel and what each output item holds. */
export const OPTION = {
	maxRateLimitWait: 'maxRateLimitWait',
	output: 'output',
	requestsPerSecond: 'requestsPerSecond',
	retryServerErrors: 'retryServerErrors',
	sendMode: 'sendMode',
	timeout: 'timeout',
} as const;

/** Get Many: how many events, and which. */
export const GET_MANY = { returnAll: 'returnAll', limit: 'limit', filters: 'filters' } as const;
/** Inside Filters (Get Many's, and the trigger's without the dates). */
export const FILTER = {
	contactIds: 'contactIds',
	eventNames: 'eventNames',
	objectTypes: 'objectTypes',
	startDate: 'startDate',
	endDate: 'endDate',
} as const;

/**
 * How the user enters contact properties: not at all, as typed rows, as one JSON object, from the
 * input fields named like the account's attributes (`auto`), or with n8n's resource mapper.
 */
export type ContactPropertiesMode = 'none' | 'keypair' | 'json' | 'auto' | 'mapper';

/** How the user enters event properties; `allFields` and `namedFields` read the input item. */
export type EventPropertiesMode = 'none' | 'keypair' | 'json' | 'allFields' | 'namedFields';

export type IdentifiersMode = 'values' | 'fields';
